//! `impl KafkaEvent`: the event's constants, its domain, and its registration.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::parse_quote;
use syn::spanned::Spanned;

use super::with_schema_bounds;
use crate::ast::Container;
use crate::validate::EventSpec;

pub fn expand_kafka_event(container: &Container, spec: &EventSpec) -> TokenStream {
    let ident = container.ident;
    let mut generics = with_schema_bounds(container.generics);
    let validate_bounds: Vec<syn::WherePredicate> = container
        .generics
        .type_params()
        .map(|param| {
            let ident = &param.ident;
            parse_quote!(#ident: ::event_core::validate::Validate)
        })
        .collect();
    generics
        .make_where_clause()
        .predicates
        .extend(validate_bounds);
    let (_, ty_generics, _) = container.generics.split_for_impl();
    generics.make_where_clause().predicates.push(parse_quote! {
        #ident #ty_generics: ::event_core::__private::serde::Serialize
            + ::event_core::__private::serde::de::DeserializeOwned
    });
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    let EventSpec {
        name,
        version,
        domain_path,
        compat,
        key,
    } = spec;
    let partition_key = key.as_ref().map(|field| {
        quote! {
            fn partition_key(&self) -> ::core::option::Option<::event_core::__private::Vec<u8>> {
                ::event_core::codec::KeyBytes::key_bytes(&self.#field)
            }
        }
    });
    let compat = compat.map(|variant| {
        let variant = format_ident!("{}", variant);
        quote!(const COMPAT: ::event_core::compat::CompatMode = ::event_core::compat::CompatMode::#variant;)
    });
    let (full, entity, action) = (&name.full, &name.entity, &name.action);
    let (version_text, major) = (&version.text, version.major);
    let domain_name = &name.domain;
    let domain = match domain_path {
        Some(path) => quote!(#path),
        None => {
            let builtin = format_ident!("{}", capitalize(domain_name));
            quote!(::event_core::domains::#builtin)
        }
    };
    let domain_check = domain_path.as_ref().map(|path| {
        let message = format!(
            "`domain = ..` must name the domain of the event's first segment `{domain_name}`, but that type's Domain::NAME differs"
        );
        quote_spanned! {path.span()=>
            const _: () = ::core::assert!(
                ::event_core::domain::same_name(<#path as ::event_core::Domain>::NAME, #domain_name),
                #message
            );
        }
    });
    let registration = container.generics.params.is_empty().then(|| {
        let type_name = ident.to_string();
        quote! {
            ::event_core::__private::inventory::submit! {
                ::event_core::registry::EventDescriptor::of::<#ident>(
                    ::core::concat!(::core::module_path!(), "::", #type_name)
                )
            }
        }
    });

    quote! {
        #[automatically_derived]
        impl #impl_generics ::event_core::KafkaEvent for #ident #ty_generics #where_clause {
            type Domain = #domain;
            const EVENT_TYPE: &'static str = #full;
            const ENTITY: &'static str = #entity;
            const ACTION: &'static str = #action;
            const VERSION: &'static str = #version_text;
            const MAJOR_VERSION: u64 = #major;
            #compat
            #partition_key
            const TOPIC: &'static str = ::event_core::__versioned_topic!(
                <#domain as ::event_core::Domain>::TOPIC,
                #major
            );
        }
        #domain_check
        #registration
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}
