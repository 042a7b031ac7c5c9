//! Code generation (quote only): every decision was made by `ast` and `validate`.
//!
//! The generated `schema`, `validate_at`, `write_json`, `read_json` and `partition_key` are
//! `#[inline]`: compiled in the crates that call them, as serde's generic impls are, not in
//! every crate that derives. The bodies are written for the compiler's front end too: few
//! locals, no `?` per member of a record, no constant evaluated per event while building (a crate of 200
//! events builds in about 1.1–1.2× the time of the same structs with serde + schemars derives;
//! `cargo bench --bench compile_time`, docs/performance.md).

mod binary;
mod event;
mod fallback;
mod keywords;
mod read_json;
mod schema;
mod validate;
mod write_json;

pub use binary::expand_binary;
pub use event::expand_kafka_event;
pub use fallback::fallback;
pub use read_json::expand_read_json;
pub use schema::expand_event_schema;
pub use validate::expand_validate;
pub use write_json::expand_write_json;

use proc_macro2::TokenStream;

use crate::ast::Container;
use quote::quote;
use syn::{parse_quote, Generics, WherePredicate};

/// The container's generics with the bounds of its impls: those of `#[event(bound = "..")]`,
/// else `T: Trait` for every type parameter (`trait_path` is `::event_core::EventSchema` …).
fn with_bounds(container: &Container, trait_path: TokenStream) -> Generics {
    let mut generics = container.generics.clone();
    let bounds: Vec<WherePredicate> = match container.event.as_ref().and_then(|e| e.bound.as_ref())
    {
        Some(bound) => bound.clone(),
        None => generics
            .type_params()
            .map(|param| {
                let ident = &param.ident;
                parse_quote!(#ident: #trait_path)
            })
            .collect(),
    };
    generics.make_where_clause().predicates.extend(bounds);
    generics
}

/// The container's generics with `T: EventSchema` (or the declared bound).
fn with_schema_bounds(container: &Container) -> Generics {
    with_bounds(container, quote!(::event_core::EventSchema))
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
/// order): the binary mirror evaluates it in const context (its fields are picked by it), the
/// schema when it is built.
fn layout_order(types: &[&syn::Type]) -> TokenStream {
    let count = types.len();
    quote! {
        ::event_core::layout::layout_order::<#count>([
            #(::event_core::layout::FieldLayout::of::<#types>()),*
        ])
    }
}
