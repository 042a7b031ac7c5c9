//! Tokens for the `#[event(..)]` keywords of one field: the `Constraints` value, and the
//! compile-time checks that the keywords fit the field's type.

use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;

use crate::attr::{FieldKeywords, JsonLiteral, Keyword, Number};

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

fn count(value: &Option<Keyword<u64>>) -> Option<TokenStream> {
    value.as_ref().map(|k| {
        let lit = Literal::u64_suffixed(k.value);
        quote!(::core::option::Option::Some(#lit))
    })
}

/// `Constraints { .. }.apply(&mut schema);`, or nothing when the field has no keywords.
pub fn apply_constraints(k: &FieldKeywords, schema: &TokenStream) -> TokenStream {
    if k.is_empty() {
        return TokenStream::new();
    }
    let mut fields = Vec::new();
    let numbers = [
        ("minimum", &k.minimum),
        ("maximum", &k.maximum),
        ("exclusive_minimum", &k.exclusive_minimum),
        ("exclusive_maximum", &k.exclusive_maximum),
        ("multiple_of", &k.multiple_of),
    ];
    for (name, value) in numbers {
        if let Some(keyword) = value {
            let ident = syn::Ident::new(name, Span::call_site());
            let value = number(keyword.value);
            fields.push(quote!(#ident: #value));
        }
    }
    let counts = [
        ("min_length", &k.min_length),
        ("max_length", &k.max_length),
        ("min_items", &k.min_items),
        ("max_items", &k.max_items),
    ];
    for (name, value) in counts {
        if let Some(value) = count(value) {
            let ident = syn::Ident::new(name, Span::call_site());
            fields.push(quote!(#ident: #value));
        }
    }
    for (name, value) in [("pattern", &k.pattern), ("format", &k.format)] {
        if let Some(keyword) = value {
            let ident = syn::Ident::new(name, Span::call_site());
            let text = &keyword.value;
            fields.push(quote!(#ident: ::core::option::Option::Some(#text)));
        }
    }
    for (name, value) in [
        ("unique_items", &k.unique_items),
        ("deprecated", &k.deprecated),
    ] {
        if let Some(keyword) = value {
            let ident = syn::Ident::new(name, Span::call_site());
            let flag = keyword.value;
            fields.push(quote!(#ident: #flag));
        }
    }
    for (name, value) in [("default", &k.default), ("example", &k.example)] {
        if let Some(keyword) = value {
            let ident = syn::Ident::new(name, Span::call_site());
            let value = json(&keyword.value);
            fields.push(quote!(#ident: #value));
        }
    }
    quote! {
        ::event_core::schema::Constraints {
            #(#fields,)*
            ..::core::default::Default::default()
        }
        .apply(&mut #schema);
    }
}
