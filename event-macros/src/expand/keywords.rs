//! Tokens for the `#[event(..)]` keywords of one field: the `Constraints` value, and the
//! compile-time checks that the keywords fit the field's type.

use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;

use crate::attr::{FieldKeywords, JsonLiteral, KeywordValue, Number};

fn number(number: Number) -> TokenStream {
    match number {
        Number::Int(i) if i >= 0 && i <= u64::MAX as i128 => {
            let lit = Literal::u64_suffixed(i as u64);
            quote!(::core::option::Option::Some(::event_core::__private::serde_json::Number::from(#lit)))
        }
        Number::Int(i) if i < 0 && i >= i64::MIN as i128 => {
            let lit = Literal::i64_suffixed(i as i64);
            quote!(::core::option::Option::Some(::event_core::__private::serde_json::Number::from(#lit)))
        }
        other => {
            let lit = Literal::f64_suffixed(other.as_f64());
            quote!(::event_core::__private::serde_json::Number::from_f64(#lit))
        }
    }
}

fn json(value: &JsonLiteral) -> TokenStream {
    let inner = match value {
        JsonLiteral::String(s) => quote!(::event_core::__private::serde_json::Value::from(#s)),
        JsonLiteral::Bool(b) => quote!(::event_core::__private::serde_json::Value::from(#b)),
        JsonLiteral::Number(Number::Int(i)) if *i >= 0 => {
            let lit = Literal::u64_suffixed(*i as u64);
            quote!(::event_core::__private::serde_json::Value::from(#lit))
        }
        JsonLiteral::Number(Number::Int(i)) => {
            let lit = Literal::i64_suffixed(*i as i64);
            quote!(::event_core::__private::serde_json::Value::from(#lit))
        }
        JsonLiteral::Number(Number::Float(f)) => {
            let lit = Literal::f64_suffixed(*f);
            quote!(::event_core::__private::serde_json::Value::from(#lit))
        }
    };
    quote!(::core::option::Option::Some(#inner))
}

/// `Constraints { .. }.applied(schema)`, or `schema` itself when the field has no keywords:
/// one `Constraints` field per keyword given (named as the attribute), its value by its kind.
pub fn with_constraints(k: &FieldKeywords, schema: TokenStream) -> TokenStream {
    if k.is_empty() {
        return schema;
    }
    let fields = k.entries().into_iter().map(|(row, value)| {
        let ident = syn::Ident::new(row.attribute, Span::call_site());
        let value = match value {
            KeywordValue::Number(keyword) => number(keyword.value),
            KeywordValue::Count(keyword) => {
                let lit = Literal::u64_suffixed(keyword.value);
                quote!(::core::option::Option::Some(#lit))
            }
            KeywordValue::Text(keyword) => {
                let text = &keyword.value;
                quote!(::core::option::Option::Some(#text))
            }
            KeywordValue::Flag(keyword) => {
                let flag = keyword.value;
                quote!(#flag)
            }
            KeywordValue::Json(keyword) => json(&keyword.value),
        };
        quote!(#ident: #value)
    });
    quote! {
        ::event_core::schema::Constraints {
            #(#fields,)*
            ..::core::default::Default::default()
        }
        .applied(#schema)
    }
}
