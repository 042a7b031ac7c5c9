//! `impl Validate`: one straight-line check per `#[event(..)]` keyword, at the JSON pointer
//! where serde writes the field, then each field's own validation.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::ast::{Container, Data, Field, Style, Variant};
use crate::attr::{FieldKeywords, KeywordValue, Number};
use crate::serde_attr::SerdeContainer;
use event_keywords::{Applies, Check};

pub fn expand_validate(container: &Container) -> TokenStream {
    let ident = container.ident;
    let generics = super::with_bounds(container, quote!(::event_core::validate::Validate));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let custom = container
        .event
        .as_ref()
        .and_then(|e| e.validate_with.as_ref())
        .map(|path| quote!(#path(self, at, errors);));

    let body = match &container.data {
        Data::Struct(style, fields) => struct_body(*style, fields, container.serde.transparent),
        Data::Enum(variants) => enum_body(variants, &container.serde),
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics ::event_core::validate::Validate for #ident #ty_generics #where_clause {
            // `#[inline]`: compiled where it is called (see the module `expand`).
            #[inline]
            #[allow(unused_variables)]
            fn validate_at(
                &self,
                at: &::event_core::validate::Location<'_>,
                errors: &mut ::event_core::__private::Vec<::event_core::validate::Violation>,
            ) {
                #custom
                #body
            }
        }
    }
}

/// Whether serde writes the field.
fn written(field: &Field) -> bool {
    field.in_schema() && !field.serde.skip_serializing
}

fn struct_body(style: Style, fields: &[Field], transparent: bool) -> TokenStream {
    let checks = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| written(f))
        .map(|(index, field)| {
            let ident = field.original.ident.clone();
            let value = move |span: Span| match &ident {
                Some(ident) => {
                    let mut member = ident.clone();
                    member.set_span(span);
                    quote_spanned!(span=> &self.#member)
                }
                None => {
                    let member = syn::Index {
                        index: index as u32,
                        span,
                    };
                    quote_spanned!(span=> &self.#member)
                }
            };
            let location = if transparent || style == Style::Newtype || field.serde.flatten {
                None
            } else if style == Style::Tuple {
                Some(LocationStep::Index(index))
            } else {
                Some(LocationStep::Key(field.name.clone()))
            };
            field_checks(field, &value, location)
        });
    quote!(#(#checks)*)
}

enum LocationStep {
    Key(String),
    Index(usize),
}

/// The checks of one field whose value is the expression `value` (a reference), found at
/// `at` plus `step`.
fn field_checks(
    field: &Field,
    value: &dyn Fn(Span) -> TokenStream,
    step: Option<LocationStep>,
) -> TokenStream {
    let location = match step {
        None => quote!(let at = at;),
        Some(LocationStep::Key(key)) => quote!(let at = &at.key(#key);),
        Some(LocationStep::Index(index)) => quote!(let at = &at.index(#index);),
    };
    let keyword_checks = keyword_checks(&field.keywords, value);
    let whole = value(Span::call_site());
    quote! {{
        #location
        #keyword_checks
        ::event_core::validate::Validate::validate_at(#whole, at, errors);
    }}
}

fn number(number: Number) -> TokenStream {
    match number {
        Number::Int(i) => {
            let lit = Literal::i128_suffixed(i);
            quote!(::event_core::schema::NumberValue::Int(#lit))
        }
        Number::Float(f) => {
            let lit = Literal::f64_suffixed(f);
            quote!(::event_core::schema::NumberValue::Float(#lit))
        }
    }
}

/// The keyword checks, in the keyword table's order: `check_{attribute}` of the runtime for a
/// keyword checked by a function, its own code for a custom one. The value expression is
/// spanned at each keyword and read through the trait of what the keyword applies to
/// (`StringKeywords` …), so a keyword on a type it does not apply to is reported there.
fn keyword_checks(k: &FieldKeywords, value: &dyn Fn(Span) -> TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    for (row, keyword) in k.entries() {
        let span = match &keyword {
            KeywordValue::Number(k) => k.key_span,
            KeywordValue::Count(k) => k.key_span,
            KeywordValue::Text(k) => k.key_span,
            KeywordValue::Flag(k) => k.key_span,
            KeywordValue::Json(k) => k.key_span,
        };
        let accessed = applied_value(row.applies, value(span), span);
        match (row.check, keyword) {
            (Check::Annotation, _) => {}
            (Check::Custom, KeywordValue::Text(k)) if row.attribute == "pattern" => {
                let pattern = &k.value;
                out.extend(quote! {{
                    static PATTERN: ::event_core::__private::LazyLock<::core::option::Option<::event_core::validate::Pattern>> =
                        ::event_core::__private::LazyLock::new(|| ::event_core::validate::Pattern::new(#pattern));
                    ::event_core::validate::check_pattern(#accessed, PATTERN.as_ref(), at, errors);
                }});
            }
            // Nothing to check at run time: the access only makes the compiler reject `pii` on
            // a type that is not `Personal`.
            (Check::Custom, KeywordValue::Flag(_)) if row.attribute == "pii" => {
                out.extend(quote!(let _ = #accessed;));
            }
            (Check::Custom, KeywordValue::Flag(k)) if row.attribute == "unique_items" => {
                if k.value {
                    out.extend(
                        quote!(::event_core::validate::check_unique_items(#accessed, at, errors);),
                    );
                }
            }
            (Check::Function, keyword) => {
                let check = format_ident!("check_{}", row.attribute);
                let limit = match keyword {
                    KeywordValue::Number(k) => number(k.value),
                    KeywordValue::Count(k) => {
                        let lit = Literal::u64_suffixed(k.value);
                        quote!(#lit)
                    }
                    KeywordValue::Text(k) => {
                        let text = &k.value;
                        quote!(#text)
                    }
                    KeywordValue::Flag(k) => {
                        let flag = k.value;
                        quote!(#flag)
                    }
                    KeywordValue::Json(_) => continue,
                };
                out.extend(quote!(::event_core::validate::#check(#accessed, #limit, at, errors);));
            }
            (Check::Custom, _) => {}
        }
    }
    out
}

/// `value` read as what a keyword applies to: `StringKeywords::string_value(value)` …
fn applied_value(applies: Applies, value: TokenStream, span: Span) -> TokenStream {
    match applies {
        Applies::Strings => {
            quote_spanned!(span=> ::event_core::schema::StringKeywords::string_value(#value))
        }
        Applies::Numbers => {
            quote_spanned!(span=> ::event_core::schema::NumberKeywords::number_value(#value))
        }
        Applies::Arrays => {
            quote_spanned!(span=> ::event_core::schema::ArrayKeywords::item_count(#value))
        }
        // The check itself decides whether to compare the items (not after a failed maxItems).
        Applies::UniqueArrays => value,
        Applies::Any => value,
        Applies::Personal => {
            quote_spanned!(span=> ::event_core::personal::PersonalKeywords::personal(#value))
        }
    }
}

fn enum_body(variants: &[Variant], serde: &SerdeContainer) -> TokenStream {
    let arms = variants.iter().filter(|v| !v.serde.skip).map(|variant| {
        let ident = &variant.ident;
        let name = &variant.name;
        // Where the variant's content is written.
        let content = match (&serde.tag, &serde.content, serde.untagged) {
            (_, _, true) => quote!(let at = at;),
            (Some(_), Some(content), _) => quote!(let at = &at.key(#content);),
            (Some(_), None, _) => quote!(let at = at;),
            (None, _, false) => quote!(let at = &at.key(#name);),
        };
        let bindings: Vec<_> = (0..variant.fields.len())
            .map(|i| format_ident!("__field{}", i))
            .collect();
        let checks = variant
            .fields
            .iter()
            .zip(&bindings)
            .enumerate()
            .filter(|(_, (f, _))| written(f))
            .map(|(index, (field, binding))| {
                let name = binding.to_string();
                let value = move |span: Span| {
                    let binding = syn::Ident::new(&name, span);
                    quote!(#binding)
                };
                let step = match variant.style {
                    Style::Named => Some(LocationStep::Key(field.name.clone())),
                    Style::Tuple => Some(LocationStep::Index(index)),
                    _ => None,
                };
                field_checks(field, &value, step)
            });
        let pattern = match variant.style {
            Style::Unit => quote!(Self::#ident),
            Style::Named => {
                let members = variant.fields.iter().map(|f| &f.original.ident);
                quote!(Self::#ident { #(#members: #bindings),* })
            }
            Style::Newtype | Style::Tuple => quote!(Self::#ident(#(#bindings),*)),
        };
        quote! {
            #pattern => {
                #content
                #(#checks)*
            }
        }
    });
    quote! {
        #[allow(unreachable_patterns)]
        match self {
            #(#arms)*
            _ => {}
        }
    }
}
