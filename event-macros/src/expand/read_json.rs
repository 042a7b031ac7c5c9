//! `impl ReadJson`: the fast reader of what serde's derive reads, for the same `#[serde(..)]`
//! attributes. It takes on the forms the writer writes; anything else (a member it does not
//! know, a repeated member, a tag that is not first, an unknown variant …) bails, and
//! serde_json reads the input instead. A shape it does not cover (`flatten`, untagged or
//! adjacently tagged enums, internally tagged newtype variants) is read by serde_json.
//! `#[event(read_json = false)]` leaves the impl to the type's author.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::with_bounds;
use crate::ast::{Container, Data, Field, Style, Variant};

/// The `impl ReadJson` of a validated container.
pub fn expand_read_json(container: &Container) -> TokenStream {
    if container
        .event
        .as_ref()
        .is_some_and(|e| e.read_json == Some(false))
    {
        return TokenStream::new();
    }
    let ident = container.ident;
    let mut generics = with_bounds(container, quote!(::event_core::json::ReadJson));
    let body = match reader(container) {
        Some(body) => quote! {
            #[allow(unused_imports)]
            use ::event_core::json::{ViaBail as _, ViaDeserialize as _, ViaReadJson as _};
            #body
        },
        None => {
            // A bound with a lifetime of its own is checked where the impl is used, not where
            // it is written (a type without `Deserialize` keeps compiling).
            generics
                .make_where_clause()
                .predicates
                .push(syn::parse_quote!(
                    for<'__de> Self: ::event_core::__private::serde::Deserialize<'__de>
                ));
            quote! {
                ::event_core::__private::serde_json::from_slice(parser.skip_value()?)
                    .map_err(|_| ::event_core::json::Bail)
            }
        }
    };
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::event_core::json::ReadJson for #ident #ty_generics #where_clause {
            // `#[inline]`: compiled where it is called (see the module `expand`).
            #[inline]
            #[allow(clippy::needless_borrow, clippy::match_single_binding, unreachable_code)]
            fn read_json(
                parser: &mut ::event_core::json::Parser<'_>,
            ) -> ::core::result::Result<Self, ::event_core::json::Bail> {
                #body
            }
        }
    }
}

/// The reading statements, or `None` for a shape left to serde.
fn reader(container: &Container) -> Option<TokenStream> {
    let serde = &container.serde;
    match &container.data {
        Data::Struct(_, fields) if fields.iter().any(|f| f.serde.flatten) => None,
        Data::Struct(style, fields) if serde.transparent => {
            let inner = fields.iter().position(|f| f.in_schema())?;
            let values = fields.iter().enumerate().map(|(index, field)| {
                if index == inner {
                    read_value(field)
                } else {
                    default_value(field)
                }
            });
            Some(construct(quote!(Self), *style, fields, values))
        }
        Data::Struct(Style::Named, fields) => Some(members(
            quote!(Self),
            fields,
            serde.default,
            Members::Object,
        )),
        Data::Struct(Style::Newtype, fields) => {
            let value = read_value(&fields[0]);
            Some(quote!(::core::result::Result::Ok(Self(#value))))
        }
        Data::Struct(Style::Tuple, fields) => Some(tuple(quote!(Self), fields)),
        Data::Struct(Style::Unit, _) => Some(quote! {
            parser.null()?;
            ::core::result::Result::Ok(Self)
        }),
        Data::Enum(variants) => {
            if serde.untagged || serde.content.is_some() {
                return None;
            }
            let readable: Vec<&Variant> = variants
                .iter()
                .filter(|v| !v.serde.skip_deserializing)
                .collect();
            if readable
                .iter()
                .any(|v| v.fields.iter().any(|f| f.serde.flatten))
            {
                return None;
            }
            match &serde.tag {
                None => Some(external(&readable)),
                Some(tag) => internal(tag, &readable),
            }
        }
    }
}

/// The reader of a member's type (`ReadJson`, else serde_json, else a bail).
fn member_reader(field: &Field) -> TokenStream {
    let ty = field.ty;
    quote!((&&::event_core::json::Read::<#ty>::new()))
}

/// The value of a member read at the parser.
fn read_value(field: &Field) -> TokenStream {
    let reader = member_reader(field);
    quote!(#reader.read_field(parser)?)
}

/// The value of a member serde does not read (`skip`, `skip_deserializing`).
fn default_value(field: &Field) -> TokenStream {
    match &field.serde.default_path {
        Some(path) => quote!(#path()),
        None => quote!(::core::default::Default::default()),
    }
}

fn is_read(field: &Field) -> bool {
    field.in_schema() && !field.serde.skip_deserializing
}

/// `Path { a: .., b: .. }` or `Path(.., ..)` of `values` in declaration order.
fn construct(
    path: TokenStream,
    style: Style,
    fields: &[Field],
    values: impl Iterator<Item = TokenStream>,
) -> TokenStream {
    let values: Vec<TokenStream> = values.collect();
    match style {
        Style::Named => {
            let members = fields.iter().map(|f| &f.original.ident);
            quote!(::core::result::Result::Ok(#path { #(#members: #values),* }))
        }
        Style::Unit => quote!(::core::result::Result::Ok(#path)),
        Style::Newtype | Style::Tuple => quote!(::core::result::Result::Ok(#path(#(#values),*))),
    }
}

/// Where the members to read are.
#[derive(Clone, Copy)]
enum Members {
    /// A whole object, `{` to `}`.
    Object,
    /// The members after an internally tagged enum's tag, up to `}`.
    AfterTag,
}

/// The members of an object: one slot per member, a match on the key, the value built when
/// the object ends (a missing member takes serde's value for it, or bails).
fn members(
    path: TokenStream,
    fields: &[Field],
    container_default: bool,
    at: Members,
) -> TokenStream {
    let slots: Vec<syn::Ident> = (0..fields.len())
        .map(|index| format_ident!("__slot{}", index))
        .collect();
    let declarations =
        fields
            .iter()
            .zip(&slots)
            .filter(|(f, _)| is_read(f))
            .map(|(field, slot)| {
                let ty = field.ty;
                quote!(let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None;)
            });
    let read: Vec<(&Field, &syn::Ident)> = fields
        .iter()
        .zip(&slots)
        .filter(|(f, _)| is_read(f))
        .collect();
    let names = read.iter().map(|(field, _)| byte_string(&field.name));
    // A name that cannot be written without an escape gets no arm: the reader compares
    // names with the input as written, so such a key bails (serde_json reads it).
    let arms = read
        .iter()
        .enumerate()
        .filter(|(_, (field, _))| is_plain(&field.name))
        .map(|(index, (field, slot))| {
            let reader = member_reader(field);
            quote!(#index => #reader.fill(&mut #slot, parser),)
        });
    // A member that must be there is taken by `let .. else` into a binding of the slot's name:
    // a plain return where `?` would have the compiler resolve and expand `Try` per member.
    let mut required = Vec::new();
    let values: Vec<TokenStream> = fields
        .iter()
        .zip(&slots)
        .map(|(field, slot)| {
            if !is_read(field) {
                return default_value(field);
            }
            if let Some(path) = &field.serde.default_path {
                return quote!(#slot.unwrap_or_else(#path));
            }
            if field.serde.default {
                return quote!(#slot.unwrap_or_default());
            }
            let taken = if container_default {
                quote!(#slot)
            } else {
                let reader = member_reader(field);
                quote!(#reader.take(#slot))
            };
            required.push(quote! {
                let ::core::option::Option::Some(#slot) = #taken else {
                    return ::core::result::Result::Err(::event_core::json::Bail);
                };
            });
            quote!(#slot)
        })
        .collect();
    // One early return for every member's read, not one per arm: a smaller body for the
    // compiler to check (measured: about 5 % of a 200-event crate's build).
    let member = or_return(quote!(parser.member(__NAMES, &mut __next)));
    let read = or_return(quote! {
        match #member {
            #(#arms)*
            _ => ::core::result::Result::Err(::event_core::json::Bail),
        }
    });
    let dispatch = quote!(#read;);
    let next_member = or_return(quote!(parser.next_member()));
    let read_all = match at {
        Members::AfterTag => quote!(while #next_member { #dispatch }),
        Members::Object => {
            let begin = or_return(quote!(parser.begin_object()));
            quote! {
                if #begin {
                    loop {
                        #dispatch
                        if !#next_member {
                            break;
                        }
                    }
                }
            }
        }
    };
    let build = construct(path, Style::Named, fields, values.into_iter());
    quote! {
        // The members in the order serde writes them: the reader tries the next one first.
        const __NAMES: &[&[u8]] = &[#(#names),*];
        let mut __next = 0usize;
        #(#declarations)*
        #read_all
        #(#required)*
        #build
    }
}

/// `name` as a byte-string literal, `b"name"`.
fn byte_string(name: &str) -> syn::LitByteStr {
    syn::LitByteStr::new(name.as_bytes(), proc_macro2::Span::call_site())
}

/// A name JSON writes as it is: no `"`, `\` or control character to escape.
fn is_plain(name: &str) -> bool {
    !name.chars().any(|c| c == '"' || c == '\\' || c < ' ')
}

/// The value of `result`, else a return with its error: what `?` does, without the `Try`
/// machinery the compiler would resolve and expand at each use.
fn or_return(result: TokenStream) -> TokenStream {
    quote! {
        match #result {
            ::core::result::Result::Ok(value) => value,
            ::core::result::Result::Err(bail) => return ::core::result::Result::Err(bail),
        }
    }
}

/// `[a, b, …]` of exactly the fields serde reads.
fn tuple(path: TokenStream, fields: &[Field]) -> TokenStream {
    let read: Vec<usize> = (0..fields.len()).filter(|&i| is_read(&fields[i])).collect();
    let bindings: Vec<syn::Ident> = (0..fields.len())
        .map(|index| format_ident!("__item{}", index))
        .collect();
    let mut statements = Vec::new();
    if read.is_empty() {
        statements.push(quote! {
            if parser.begin_array()? {
                return ::core::result::Result::Err(::event_core::json::Bail);
            }
        });
    } else {
        statements.push(quote! {
            if !parser.begin_array()? {
                return ::core::result::Result::Err(::event_core::json::Bail);
            }
        });
        for (position, &index) in read.iter().enumerate() {
            if position > 0 {
                statements.push(quote! {
                    if !parser.next_item()? {
                        return ::core::result::Result::Err(::event_core::json::Bail);
                    }
                });
            }
            let binding = &bindings[index];
            let value = read_value(&fields[index]);
            statements.push(quote!(let #binding = #value;));
        }
        statements.push(quote! {
            if parser.next_item()? {
                return ::core::result::Result::Err(::event_core::json::Bail);
            }
        });
    }
    let values = fields.iter().zip(&bindings).map(|(field, binding)| {
        if is_read(field) {
            quote!(#binding)
        } else {
            default_value(field)
        }
    });
    let build = construct(path, Style::Tuple, fields, values);
    quote!(#(#statements)* #build)
}

fn variant_path(variant: &Variant) -> TokenStream {
    let ident = variant.ident;
    quote!(Self::#ident)
}

fn name_literal(variant: &Variant) -> syn::LitByteStr {
    byte_string(&variant.name)
}

/// Externally tagged: `"unit"`, or `{"variant": content}`.
fn external(variants: &[&Variant]) -> TokenStream {
    let units = variants
        .iter()
        .filter(|v| v.style == Style::Unit)
        .map(|variant| {
            let name = name_literal(variant);
            let path = variant_path(variant);
            quote!(#name => ::core::result::Result::Ok(#path),)
        });
    let contents = variants
        .iter()
        .filter(|v| v.style != Style::Unit)
        .map(|variant| {
            let name = name_literal(variant);
            let path = variant_path(variant);
            let content = match variant.style {
                Style::Newtype => {
                    let value = read_value(&variant.fields[0]);
                    quote!(::core::result::Result::Ok(#path(#value)))
                }
                Style::Tuple => tuple(path, &variant.fields),
                Style::Named => members(path, &variant.fields, false, Members::Object),
                Style::Unit => unreachable!("unit variants are strings"),
            };
            // `return`s in `content` bail out of `read_json` itself.
            quote!(#name => {
                let value: ::core::result::Result<Self, ::event_core::json::Bail> = { #content };
                value?
            })
        });
    quote! {
        if parser.peek() == ::core::option::Option::Some(b'"') {
            return match parser.plain_string()? {
                #(#units)*
                _ => ::core::result::Result::Err(::event_core::json::Bail),
            };
        }
        if !parser.begin_object()? {
            return ::core::result::Result::Err(::event_core::json::Bail);
        }
        let value = match parser.key()? {
            #(#contents)*
            _ => return ::core::result::Result::Err(::event_core::json::Bail),
        };
        if parser.next_member()? {
            return ::core::result::Result::Err(::event_core::json::Bail);
        }
        ::core::result::Result::Ok(value)
    }
}

/// Internally tagged, the tag first: `{"tag": "variant", fields…}`; `None` when a variant has
/// content serde merges from another type (newtype or tuple variants).
fn internal(tag: &str, variants: &[&Variant]) -> Option<TokenStream> {
    if variants
        .iter()
        .any(|v| matches!(v.style, Style::Newtype | Style::Tuple))
    {
        return None;
    }
    let tag = syn::LitByteStr::new(tag.as_bytes(), proc_macro2::Span::call_site());
    let arms = variants.iter().map(|variant| {
        let name = name_literal(variant);
        let path = variant_path(variant);
        let body = match variant.style {
            Style::Unit => quote! {
                if parser.next_member()? {
                    return ::core::result::Result::Err(::event_core::json::Bail);
                }
                ::core::result::Result::Ok(#path)
            },
            _ => members(path, &variant.fields, false, Members::AfterTag),
        };
        quote!(#name => { #body })
    });
    Some(quote! {
        if !parser.begin_object()? || parser.key()? != #tag {
            return ::core::result::Result::Err(::event_core::json::Bail);
        }
        match parser.plain_string()? {
            #(#arms)*
            _ => ::core::result::Result::Err(::event_core::json::Bail),
        }
    })
}
