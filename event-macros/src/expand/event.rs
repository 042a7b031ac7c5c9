//! `impl KafkaEvent`: the event's constants, its domain and its partition key.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::parse_quote;
use syn::spanned::Spanned;

use super::with_schema_bounds;
use crate::ast::{Container, Data, Style};
use crate::validate::{EventSpec, KeyChoice};

pub fn expand_kafka_event(container: &Container, spec: &EventSpec) -> TokenStream {
    let ident = container.ident;
    let mut generics = with_schema_bounds(container);
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
    // A generic event is an event for the parameters that make it one. A type without
    // parameters needs no such bound: the trait's supertraits are checked at the impl all the
    // same, and a bound on a concrete type is one more predicate in every item's environment
    // for the compiler to carry.
    if !container.generics.params.is_empty() {
        let (_, ty_generics, _) = container.generics.split_for_impl();
        generics.make_where_clause().predicates.push(parse_quote! {
            #ident #ty_generics: ::event_core::__private::serde::Serialize
                + ::event_core::__private::serde::de::DeserializeOwned
                + ::event_core::json::WriteJson
                + ::event_core::json::ReadJson
        });
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    let EventSpec {
        name,
        version,
        domain_path,
        name_span,
        compat,
        key,
        data_subject,
    } = spec;
    let compat = compat.map(|variant| {
        let variant = format_ident!("{}", variant);
        quote!(const COMPAT: ::event_core::compat::CompatMode = ::event_core::compat::CompatMode::#variant;)
    });
    let (full, entity, action) = (&name.full, &name.entity, &name.action);
    let (version_text, major, minor, patch) =
        (&version.text, version.major, version.minor, version.patch);
    let domain_name = &name.domain;
    let domain = match domain_path {
        Some(path) => quote!(#path),
        None => {
            // The domain type in scope named after the first segment, reported at the name.
            let by_convention = syn::Ident::new(&domain_name.to_upper_camel_case(), *name_span);
            quote!(#by_convention)
        }
    };
    let partition_key = partition_key(key);
    // Major 1 writes to the domain's topic itself: no const evaluation per event for it.
    let topic = if major <= 1 {
        quote!(<#domain as ::event_core::Domain>::TOPIC)
    } else {
        quote!(::event_core::__versioned_topic!(<#domain as ::event_core::Domain>::TOPIC, #major))
    };
    let binary_codec = binary_codec(container);
    let declared_fields = declared_fields(container);
    let data_subject = data_subject.as_ref().map(|name| {
        quote!(const DATA_SUBJECT: ::core::option::Option<&'static str> = ::core::option::Option::Some(#name);)
    });
    let domain_check = domain_path.as_ref().map(|path| {
        let message = format!(
            "`domain = ..` must name the domain of the event's first segment `{domain_name}`, but that type's Domain::NAME differs"
        );
        quote_spanned! {path.span()=>
            const _: () = ::core::assert!(
                ::event_core::__private::same_name(<#path as ::event_core::Domain>::NAME, #domain_name),
                #message
            );
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::event_core::KafkaEvent for #ident #ty_generics #where_clause {
            type Domain = #domain;
            const EVENT_TYPE: &'static str = #full;
            const ENTITY: &'static str = #entity;
            const ACTION: &'static str = #action;
            const VERSION: ::event_core::SemVer =
                ::event_core::SemVer::__checked(#major, #minor, #patch, #version_text);
            #compat
            #partition_key
            #data_subject
            const TOPIC: &'static str = #topic;
            #declared_fields
            #binary_codec
        }
        #domain_check
    }
}

/// `DECLARED_FIELDS`: the wire names of a record's fields in the schema, in declaration order.
fn declared_fields(container: &Container) -> TokenStream {
    let Data::Struct(Style::Named, fields) = &container.data else {
        return TokenStream::new();
    };
    let names = fields.iter().filter(|f| f.in_schema()).map(|f| &f.name);
    quote!(const DECLARED_FIELDS: &'static [&'static str] = &[#(#names),*];)
}

/// `fn partition_key` and what gives `KEY_FIELD`: the named field, or the first of the
/// domain's `KEY_FIELDS` the event has (chosen in const evaluation where it is used, from
/// `__KEY_CANDIDATES`; a field whose type is no `KeyBytes` gives no key).
fn partition_key(key: &KeyChoice) -> TokenStream {
    let (body, key_field) = match key {
        KeyChoice::Field(field, wire) => (
            quote! {
                ::event_core::codec::KeyBytes::key_bytes(&self.#field)
            },
            quote! {
                const KEY_FIELD: ::core::option::Option<&'static str> =
                    ::core::option::Option::Some(#wire);
            },
        ),
        // No named fields: the trait's defaults (no key).
        KeyChoice::DomainDefault(fields) if fields.is_empty() => return TokenStream::new(),
        KeyChoice::DomainDefault(fields) => {
            let arms = fields.iter().enumerate().map(|(index, (field, _))| {
                quote! {
                    ::core::option::Option::Some(#index) =>
                        (&::event_core::__private::KeyProbe(&self.#field)).probe_key(),
                }
            });
            let renamed = fields.iter().any(|(ident, wire)| ident != wire);
            let candidates = if renamed {
                let names = fields.iter().map(|(ident, _)| ident.to_string());
                quote!(::event_core::__private::KeyCandidates::Named(&[#(#names),*]))
            } else {
                quote!(::event_core::__private::KeyCandidates::Declared)
            };
            (
                quote! {
                    use ::event_core::__private::{ProbeKey as _, ProbeNoKey as _};
                    match ::event_core::__private::derived_key_index::<Self>() {
                        #(#arms)*
                        _ => ::core::option::Option::None,
                    }
                },
                quote! {
                    const __KEY_CANDIDATES: ::event_core::__private::KeyCandidates = #candidates;
                },
            )
        }
    };
    quote! {
        #key_field
        // `#[inline]`: compiled where it is called (see the module `expand`).
        #[inline]
        fn partition_key(&self) -> ::core::option::Option<::event_core::__private::Vec<u8>> {
            #body
        }
    }
}

/// `binary_value`, `from_binary_value` and `binary_layout` for a type that gets `impl Binary`
/// (`#[event(binary)]`); others keep the trait's `None`.
fn binary_codec(container: &Container) -> TokenStream {
    if !super::binary::has_binary_form(container) {
        return TokenStream::new();
    }
    // `#[inline]`: codegen'd where a producer or consumer calls them, not for every event of
    // the crate that derives (the binary codec's rkyv code is most of an event's LLVM IR).
    quote! {
        #[inline]
        fn binary_value(
            envelope: &::event_core::Envelope<Self>,
        ) -> ::core::option::Option<
            ::core::result::Result<::event_core::__private::Vec<u8>, ::event_core::codec::CodecError>,
        > {
            ::core::option::Option::Some(envelope.to_binary().map(|bytes| bytes.to_vec()))
        }

        #[inline]
        fn from_binary_value(
            bytes: &[u8],
            options: &::event_core::codec::DecodeOptions,
        ) -> ::core::option::Option<
            ::core::result::Result<::event_core::Envelope<Self>, ::event_core::codec::CodecError>,
        > {
            ::core::option::Option::Some(::event_core::Envelope::<Self>::from_binary_with(bytes, options))
        }

        fn binary_layout() -> ::core::option::Option<::event_core::binary::BinaryLayout> {
            ::core::option::Option::Some(::event_core::binary::BinaryLayout::of::<Self>())
        }
    }
}
