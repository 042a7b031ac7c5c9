//! Impls emitted beside the compile errors of a failed derive, as thiserror does: the type
//! still implements its traits, so the only errors shown are the derive's own, not one more at
//! every use of the type. The bodies never run: the crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

/// `EventSchema`, `Validate`, `WriteJson` and `ReadJson` (and `KafkaEvent` for an event) with unreachable bodies.
pub fn fallback(input: &DeriveInput, is_event: bool) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let event = is_event.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics ::event_core::KafkaEvent for #ident #ty_generics #where_clause {
                type Domain = ::event_core::__private::FallbackDomain;
                const EVENT_TYPE: &'static str = "";
                const ENTITY: &'static str = "";
                const ACTION: &'static str = "";
                const VERSION: ::event_core::SemVer = ::event_core::SemVer::__checked(0, 0, 0, "0.0.0");
                const TOPIC: &'static str = "";
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::event_core::EventSchema for #ident #ty_generics #where_clause {
            fn schema(
                _: &mut ::event_core::schema::SchemaGenerator,
            ) -> ::event_core::schema::Schema {
                ::core::unreachable!()
            }
        }
        #[automatically_derived]
        impl #impl_generics ::event_core::validate::Validate for #ident #ty_generics #where_clause {}
        #[automatically_derived]
        impl #impl_generics ::event_core::json::WriteJson for #ident #ty_generics #where_clause {
            fn write_json(
                &self,
                _: &mut ::event_core::__private::Vec<u8>,
            ) -> ::core::result::Result<(), ::event_core::__private::serde_json::Error> {
                ::core::unreachable!()
            }
        }
        #[automatically_derived]
        impl #impl_generics ::event_core::json::ReadJson for #ident #ty_generics #where_clause {
            fn read_json(
                _: &mut ::event_core::json::Parser<'_>,
            ) -> ::core::result::Result<Self, ::event_core::json::Bail> {
                ::core::unreachable!()
            }
        }
        #event
    }
}
