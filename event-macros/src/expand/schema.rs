//! `impl EventSchema`: the schema of structs and enums as calls into `event_core::schema`.

use proc_macro2::TokenStream;
use quote::quote;

use super::keywords::with_constraints;
use super::{optional_string, with_schema_bounds};
use crate::ast::{Container, Data, Field, Style, Variant};
use crate::serde_attr::SerdeContainer;

/// The `impl EventSchema` of a validated container.
pub fn expand_event_schema(container: &Container) -> TokenStream {
    let ident = container.ident;
    let generics = with_schema_bounds(container);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let doc = container.doc.as_deref();

    let (layout_class, optional, named, body) = match &container.data {
        Data::Struct(_, fields) if container.serde.transparent => {
            let field = fields.iter().find(|f| f.in_schema());
            let ty = field.map(|f| f.ty);
            let body = field.map(|f| field_schema(f, true)).unwrap_or_default();
            (
                quote!(<#ty as ::event_core::EventSchema>::LAYOUT_CLASS),
                Some(quote!(const OPTIONAL: bool = <#ty as ::event_core::EventSchema>::OPTIONAL;)),
                false,
                body,
            )
        }
        Data::Struct(Style::Named, fields) => (
            quote!(::event_core::layout::LayoutClass::Variable),
            None,
            true,
            documented(record(fields, container.serde.default), doc),
        ),
        Data::Struct(Style::Newtype, fields) => (
            quote!(::event_core::layout::LayoutClass::Variable),
            None,
            true,
            documented(
                fields
                    .first()
                    .map(|f| field_schema(f, true))
                    .unwrap_or_default(),
                doc,
            ),
        ),
        Data::Struct(Style::Tuple, fields) => (
            quote!(::event_core::layout::LayoutClass::Variable),
            None,
            true,
            documented(tuple(fields), doc),
        ),
        Data::Struct(Style::Unit, _) => (
            quote!(::event_core::layout::LayoutClass::Fixed),
            None,
            true,
            documented(
                quote!(::event_core::schema::Schema::of_type(
                    ::event_core::schema::InstanceType::Null
                )),
                doc,
            ),
        ),
        Data::Enum(variants) => {
            let all_unit = variants.iter().all(|v| v.style == Style::Unit);
            let class = if all_unit {
                quote!(::event_core::layout::LayoutClass::Fixed)
            } else {
                quote!(::event_core::layout::LayoutClass::Variable)
            };
            (
                class,
                None,
                true,
                documented(enumeration(variants, &container.serde), doc),
            )
        }
    };

    let schema_name = if !named {
        TokenStream::new()
    } else {
        let name = ident.to_string();
        let type_params: Vec<_> = container.generics.type_params().map(|p| &p.ident).collect();
        let value = if type_params.is_empty() {
            quote!(::event_core::__private::Cow::Borrowed(#name))
        } else {
            quote! {
                ::event_core::__private::Cow::Owned(::event_core::__private::format!(
                    "{}_{}",
                    #name,
                    [#(::event_core::schema::type_label::<#type_params>()),*].join("_")
                ))
            }
        };
        quote! {
            fn schema_name() -> ::core::option::Option<::event_core::__private::Cow<'static, str>> {
                ::core::option::Option::Some(#value)
            }
        }
    };

    quote! {
        #[automatically_derived]
        impl #impl_generics ::event_core::EventSchema for #ident #ty_generics #where_clause {
            const LAYOUT_CLASS: ::event_core::layout::LayoutClass = #layout_class;
            #optional
            #schema_name
            // `#[inline]`: compiled where it is called (see the module `expand`).
            #[inline]
            fn schema(generator: &mut ::event_core::schema::SchemaGenerator) -> ::event_core::schema::Schema {
                #body
            }
        }
    }
}

fn documented(schema: TokenStream, doc: Option<&str>) -> TokenStream {
    match doc {
        Some(doc) => quote!(::event_core::schema::document(#schema, #doc)),
        None => schema,
    }
}

/// The schema of one field's value: its type's schema, keywords applied, doc as description
/// (when `with_description`), as one expression: no locals for the compiler to track.
fn field_schema(field: &Field, with_description: bool) -> TokenStream {
    let ty = field.ty;
    let schema = with_constraints(&field.keywords, quote!(generator.subschema_for::<#ty>()));
    match (&field.doc, with_description) {
        (Some(doc), true) => quote!(::event_core::schema::describe(#schema, #doc)),
        _ => schema,
    }
}

/// The object schema of named fields, properties in layout order.
fn record(fields: &[Field], container_default: bool) -> TokenStream {
    let kept: Vec<&Field> = fields.iter().filter(|f| f.in_schema()).collect();
    let count = kept.len();
    let order = super::layout_order(&kept.iter().map(|f| f.ty).collect::<Vec<_>>());
    let adds = kept.iter().enumerate().map(|(index, field)| {
        let ty = field.ty;
        if field.serde.flatten {
            return quote!(record.flatten(#index, generator.inline_schema_for::<#ty>()););
        }
        let name = &field.name;
        let schema = field_schema(field, true);
        let always = !(field.serde.default
            || container_default
            || field.serde.skip_serializing
            || field.serde.skip_serializing_if.is_some());
        let required = if always {
            quote!(!<#ty as ::event_core::EventSchema>::OPTIONAL)
        } else {
            quote!(false)
        };
        quote! {
            record.field(#index, #name, #schema, #required);
        }
    });
    // The order is computed when the schema is (a cold path), not in const evaluation at
    // every build of the crate that derives.
    quote! {{
        let order = #order;
        let mut record = ::event_core::schema::RecordSchema::new(#count);
        #(#adds)*
        record.build(&order)
    }}
}

fn tuple(fields: &[Field]) -> TokenStream {
    let items = fields
        .iter()
        .filter(|f| f.in_schema())
        .map(|f| field_schema(f, false));
    quote!(::event_core::schema::tuple(
        ::event_core::__private::vec![#(#items),*]
    ))
}

fn enumeration(variants: &[Variant], serde: &SerdeContainer) -> TokenStream {
    let representation = match (&serde.tag, &serde.content, serde.untagged) {
        (_, _, true) => quote!(::event_core::schema::Representation::Untagged),
        (Some(tag), Some(content), _) => {
            quote!(::event_core::schema::Representation::Adjacent { tag: #tag, content: #content })
        }
        (Some(tag), None, _) => {
            quote!(::event_core::schema::Representation::Internal { tag: #tag })
        }
        (None, _, false) => quote!(::event_core::schema::Representation::External),
    };
    let internal = serde.tag.is_some() && serde.content.is_none() && !serde.untagged;
    let variants = variants.iter().filter(|v| !v.serde.skip).map(|variant| {
        let name = &variant.name;
        let description = optional_string(variant.doc.as_deref());
        let content = match variant.style {
            Style::Unit => quote!(::core::option::Option::None),
            Style::Newtype => {
                let field = &variant.fields[0];
                let schema = if internal {
                    let ty = field.ty;
                    quote!(generator.inline_schema_for::<#ty>())
                } else {
                    field_schema(field, false)
                };
                quote!(::core::option::Option::Some(#schema))
            }
            Style::Tuple => {
                let schema = tuple(&variant.fields);
                quote!(::core::option::Option::Some(#schema))
            }
            Style::Named => {
                let schema = record(&variant.fields, false);
                quote!(::core::option::Option::Some(#schema))
            }
        };
        quote! {
            ::event_core::schema::Variant {
                name: ::event_core::__private::String::from(#name),
                description: #description,
                content: #content,
            }
        }
    });
    quote! {
        ::event_core::schema::enumeration(#representation, ::event_core::__private::vec![#(#variants),*])
    }
}
