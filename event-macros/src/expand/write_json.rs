//! `impl WriteJson`: what serde's derive writes for the same type and `#[serde(..)]`
//! attributes, as byte-string pushes and per-field calls. Object keys (with their comma) are
//! computed here, once. A shape the writer does not cover (`flatten`, untagged or adjacently
//! tagged enums, internally tagged newtype or tuple variants, skipped variants) is written by
//! serde_json through the type's `Serialize` impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::with_bounds;
use crate::ast::{Container, Data, Field, Style, Variant};

/// The `impl WriteJson` of a validated container.
pub fn expand_write_json(container: &Container) -> TokenStream {
    let ident = container.ident;
    let mut generics = with_bounds(container, quote!(::event_core::json::WriteJson));
    let body = match writer(container) {
        Some(body) => quote! {
            #[allow(unused_imports)]
            use ::event_core::json::{ViaSerde as _, ViaUnwritable as _, ViaWriteJson as _};
            let mut failed = ::event_core::json::FirstError::new();
            #body
            failed.into_result()
        },
        None => {
            // Through a reference: a bound on `Self` alone would be checked where the impl is
            // written, an error for a type that does not implement `Serialize` (yet).
            generics
                .make_where_clause()
                .predicates
                .push(syn::parse_quote!(
                    for<'__json> &'__json Self: ::event_core::__private::serde::Serialize
                ));
            quote!(::event_core::__private::serde_json::to_writer(out, &self))
        }
    };
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::event_core::json::WriteJson for #ident #ty_generics #where_clause {
            // `#[inline]`: compiled where it is called (see the module `expand`).
            #[inline]
            #[allow(unused_mut, unused_assignments, unused_variables, clippy::needless_borrow)]
            fn write_json(
                &self,
                out: &mut ::event_core::__private::Vec<u8>,
            ) -> ::core::result::Result<(), ::event_core::__private::serde_json::Error> {
                #body
            }
        }
    }
}

/// The writing statements, or `None` for a shape left to serde.
fn writer(container: &Container) -> Option<TokenStream> {
    let serde = &container.serde;
    match &container.data {
        Data::Struct(_, fields) if fields.iter().any(|f| f.serde.flatten) => None,
        Data::Struct(_, fields) if serde.transparent => {
            let field = fields.iter().find(|f| f.in_schema())?;
            let value = self_member(field, 0);
            Some(write_value(&value))
        }
        Data::Struct(Style::Named, fields) => {
            let bound: Vec<(TokenStream, &Field)> = kept(fields)
                .map(|(index, field)| (self_member(field, index), field))
                .collect();
            Some(object(b"{", &bound, false))
        }
        Data::Struct(Style::Newtype, fields) => Some(write_value(&self_member(&fields[0], 0))),
        Data::Struct(Style::Tuple, fields) => {
            let values: Vec<TokenStream> = kept(fields)
                .map(|(index, field)| self_member(field, index))
                .collect();
            Some(array(&values))
        }
        Data::Struct(Style::Unit, _) => Some(push(b"null")),
        Data::Enum(variants) => {
            if serde.untagged || serde.content.is_some() {
                return None;
            }
            let arms = variants
                .iter()
                .map(|variant| variant_arm(variant, serde.tag.as_deref()))
                .collect::<Option<Vec<_>>>()?;
            Some(quote! {
                match self {
                    #(#arms)*
                }
            })
        }
    }
}

/// The fields serde writes, with their declaration index.
fn kept<'a, 'f>(fields: &'a [Field<'f>]) -> impl Iterator<Item = (usize, &'a Field<'f>)> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.in_schema() && !f.serde.skip_serializing)
}

/// `&self.name` or `&self.0`.
fn self_member(field: &Field, index: usize) -> TokenStream {
    match &field.original.ident {
        Some(ident) => quote!(&self.#ident),
        None => {
            let index = syn::Index::from(index);
            quote!(&self.#index)
        }
    }
}

/// One match arm of an enum, or `None` for a variant left to serde.
fn variant_arm(variant: &Variant, tag: Option<&str>) -> Option<TokenStream> {
    if variant.serde.skip || variant.fields.iter().any(|f| f.serde.flatten) {
        return None;
    }
    let ident = variant.ident;
    let name = json_string(&variant.name);
    let bindings: Vec<syn::Ident> = (0..variant.fields.len())
        .map(|index| format_ident!("__field{}", index))
        .collect();
    let pattern = match variant.style {
        Style::Unit => quote!(Self::#ident),
        Style::Newtype | Style::Tuple => quote!(Self::#ident(#(#bindings),*)),
        Style::Named => {
            let members = variant.fields.iter().map(|f| &f.original.ident);
            quote!(Self::#ident { #(#members: #bindings),* })
        }
    };
    let values: Vec<(TokenStream, &Field)> = kept(&variant.fields)
        .map(|(index, field)| {
            let binding = &bindings[index];
            (quote!(#binding), field)
        })
        .collect();
    let body = match (tag, variant.style) {
        (None, Style::Unit) => push(name.as_bytes()),
        (None, Style::Newtype) => {
            let open = push(format!("{{{name}:").as_bytes());
            let value = write_value(&values.first()?.0);
            quote!(#open #value out.push(b'}');)
        }
        (None, Style::Tuple) => {
            let open = push(format!("{{{name}:").as_bytes());
            let items: Vec<TokenStream> = values.into_iter().map(|(value, _)| value).collect();
            let items = array(&items);
            quote!(#open #items out.push(b'}');)
        }
        (None, Style::Named) => {
            let open = format!("{{{name}:{{");
            let fields = object(open.as_bytes(), &values, false);
            quote!(#fields out.push(b'}');)
        }
        (Some(tag), Style::Unit) => push(format!("{{{}:{name}}}", json_string(tag)).as_bytes()),
        (Some(tag), Style::Named) => {
            let open = format!("{{{}:{name}", json_string(tag));
            object(open.as_bytes(), &values, true)
        }
        (Some(_), Style::Newtype | Style::Tuple) => return None,
    };
    Some(quote!(#pattern => { #body }))
}

/// `out.extend_from_slice(b"..")`.
fn push(bytes: &[u8]) -> TokenStream {
    let literal = syn::LitByteStr::new(bytes, proc_macro2::Span::call_site());
    quote!(out.extend_from_slice(#literal);)
}

/// Writes one value (an expression of a reference) through `WriteJson`, else serde; its
/// error, if the first, is kept in `failed`.
fn write_value(value: &TokenStream) -> TokenStream {
    quote!(failed.keep((&&::event_core::json::Field(#value)).write_field(out));)
}

/// `[a,b,…]`.
fn array(values: &[TokenStream]) -> TokenStream {
    let writes = values.iter().enumerate().map(|(index, value)| {
        let comma = (index > 0).then(|| quote!(out.push(b',');));
        let write = write_value(value);
        quote!(#comma #write)
    });
    quote!(out.push(b'['); #(#writes)* out.push(b']');)
}

/// The members of an object after `open` (`{`, or `{"tag":"name"` when `written` says members
/// are already there), then `}`. A member's comma is part of its key's bytes while it is known
/// whether anything was written before it; after a `skip_serializing_if` member it is decided
/// when writing.
fn object(open: &[u8], members: &[(TokenStream, &Field)], written: bool) -> TokenStream {
    let mut statements = vec![push(open)];
    // Known at compile time that a member precedes: the comma is static.
    let mut known_written = written;
    // A skippable member came first: whether one precedes is tracked in `written`.
    let mut runtime = false;
    for (value, field) in members {
        let key = format!("{}:", json_string(&field.name));
        let (comma, key) = if known_written {
            (quote!(), format!(",{key}"))
        } else if runtime {
            (
                quote!(if written {
                    out.push(b',');
                }),
                key,
            )
        } else {
            (quote!(), key)
        };
        let key = push(key.as_bytes());
        let write = write_value(value);
        match &field.serde.skip_serializing_if {
            Some(predicate) => {
                let mark = (!known_written).then(|| quote!(written = true;));
                statements.push(quote! {
                    if !#predicate(#value) {
                        #comma #key #write #mark
                    }
                });
                runtime |= !known_written;
            }
            None => {
                statements.push(quote!(#comma #key #write));
                known_written = true;
            }
        }
    }
    statements.push(quote!(out.push(b'}');));
    quote!(let mut written = false; #(#statements)*)
}

/// `text` as a JSON string, quotes included, escaped as serde_json escapes it.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::json_string;

    #[test]
    fn keys_are_escaped_as_serde_json_escapes_them() {
        assert_eq!(
            json_string("a\"b\\c\u{1}\n é"),
            "\"a\\\"b\\\\c\\u0001\\n é\""
        );
    }
}
