//! Code generation (quote only): every decision was made by `ast` and `validate`.

mod binary;
mod event;
mod fallback;
mod keywords;
mod schema;
mod validate;

pub use binary::expand_binary;
pub use event::expand_kafka_event;
pub use fallback::fallback;
pub use schema::expand_event_schema;
pub use validate::expand_validate;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{parse_quote, Generics, WherePredicate};

/// `generics` with `T: EventSchema` added for every type parameter.
fn with_schema_bounds(generics: &Generics) -> Generics {
    let mut generics = generics.clone();
    let bounds: Vec<WherePredicate> = generics
        .type_params()
        .map(|param| {
            let ident = &param.ident;
            parse_quote!(#ident: ::event_core::EventSchema)
        })
        .collect();
    generics.make_where_clause().predicates.extend(bounds);
    generics
}

/// An optional `&str` as tokens of an `Option<String>`.
fn optional_string(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => {
            quote!(::core::option::Option::Some(::event_core::__private::String::from(#text)))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// The expression of the layout order of fields of `types` (declaration indices in layout
/// order), evaluated in const context by both the schema and the binary mirror.
fn layout_order(types: &[&syn::Type]) -> TokenStream {
    let count = types.len();
    quote! {
        ::event_core::layout::layout_order::<#count>([
            #(::event_core::layout::FieldLayout::of::<#types>()),*
        ])
    }
}
