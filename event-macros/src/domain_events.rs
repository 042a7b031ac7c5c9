//! `#[derive(DomainEvents)]`: a dispatch enum whose variants are `Name(Envelope<Event>)`.
//!
//! Parsing and validation collect every problem of the enum (not an enum, generics, a variant
//! of another shape) before anything is expanded.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, GenericArgument, PathArguments, Type};

use crate::ctxt::Ctxt;

const VARIANT_FORM: &str =
    "expected a variant of the form `Name(Envelope<Event>)`, one per event of the catalog";

/// One variant: its name and its event type.
struct Variant<'a> {
    ident: &'a syn::Ident,
    event: &'a Type,
}

/// Derives `event_core::codec::DomainEvents` for `input`.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let variants = parse(&mut cx, input);
    match cx.check() {
        Ok(()) => expand(&input.ident, &variants),
        Err(error) => {
            let mut tokens = error.to_compile_error();
            if input.generics.params.is_empty() {
                tokens.extend(fallback(&input.ident));
            }
            tokens
        }
    }
}

/// An impl with unreachable bodies beside the errors, so that uses of the enum elsewhere do
/// not add errors of their own (the crate does not compile, so it never runs).
fn fallback(ident: &syn::Ident) -> TokenStream {
    let core = quote!(::event_core);
    let private = quote!(#core::__private);
    quote! {
        #[automatically_derived]
        impl #core::codec::DomainEvents for #ident {
            const DOMAIN: &'static str = "";
            const EVENT_TYPES: &'static [&'static str] = &[];
            fn topics() -> #private::Vec<&'static str> { ::core::unreachable!() }
            fn decode_as(
                _: ::core::option::Option<&[u8]>,
                _: #core::codec::WireFormat,
                _: &[u8],
            ) -> ::core::result::Result<Self, #core::codec::DispatchError> { ::core::unreachable!() }
            fn to_record_with(&self, _: &#core::codec::RecordOptions) -> ::core::result::Result<#core::codec::KafkaRecord, #core::codec::CodecError> { ::core::unreachable!() }
            fn event_type(&self) -> &'static str { ::core::unreachable!() }
            fn event_id(&self) -> #private::Uuid { ::core::unreachable!() }
            fn timestamp(&self) -> #private::DateTime<#private::Utc> { ::core::unreachable!() }
            fn with_event_id(self, _: #private::Uuid) -> Self { ::core::unreachable!() }
            fn with_timestamp(self, _: #private::DateTime<#private::Utc>) -> Self { ::core::unreachable!() }
            fn visit_events<V: #core::catalog::EventVisitor>(_: &mut V) { ::core::unreachable!() }
            fn examples() -> #private::Vec<Self> { ::core::unreachable!() }
        }
    }
}

fn parse<'a>(cx: &mut Ctxt, input: &'a DeriveInput) -> Vec<Variant<'a>> {
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "#[derive(DomainEvents)] does not take generic parameters: list the catalog's events",
        );
    }
    let Data::Enum(data) = &input.data else {
        cx.error_spanned_by(
            &input.ident,
            "#[derive(DomainEvents)] goes on an enum with one `Name(Envelope<Event>)` variant per event",
        );
        return Vec::new();
    };
    if data.variants.is_empty() {
        cx.error_spanned_by(
            &input.ident,
            "a DomainEvents enum needs at least one variant `Name(Envelope<Event>)`",
        );
    }
    data.variants
        .iter()
        .filter_map(|variant| {
            let event = match &variant.fields {
                Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    envelope_argument(&fields.unnamed[0].ty)
                }
                _ => None,
            };
            if event.is_none() {
                cx.error_spanned_by(variant, VARIANT_FORM);
            }
            if let Some((_, discriminant)) = &variant.discriminant {
                cx.error_spanned_by(discriminant, "a DomainEvents variant takes no discriminant");
            }
            event.map(|event| Variant {
                ident: &variant.ident,
                event,
            })
        })
        .collect()
}

/// `Event` of a type written `Envelope<Event>` (any path ending in `Envelope`).
fn envelope_argument(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Envelope" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(event)] => Some(event),
        _ => None,
    }
}

fn expand(ident: &syn::Ident, variants: &[Variant]) -> TokenStream {
    let names: Vec<&syn::Ident> = variants.iter().map(|v| v.ident).collect();
    let events: Vec<&Type> = variants.iter().map(|v| v.event).collect();
    let Some(first) = events.first() else {
        return TokenStream::new();
    };
    let core = quote!(::event_core);
    let private = quote!(#core::__private);
    quote! {
        #[automatically_derived]
        impl #core::codec::DomainEvents for #ident {
            const DOMAIN: &'static str = <#first as #core::KafkaEvent>::DOMAIN;
            const EVENT_TYPES: &'static [&'static str] =
                &[#(<#events as #core::KafkaEvent>::EVENT_TYPE),*];

            fn topics() -> #private::Vec<&'static str> {
                let mut topics = #private::vec![#(<#events as #core::KafkaEvent>::TOPIC),*];
                topics.sort_unstable();
                topics.dedup();
                topics
            }

            fn decode_as(
                event_type_header: ::core::option::Option<&[u8]>,
                format: #core::codec::WireFormat,
                value: &[u8],
            ) -> ::core::result::Result<Self, #core::codec::DispatchError> {
                let event_type = #core::codec::event_type_of(event_type_header, value)?;
                #(
                    if event_type == <#events as #core::KafkaEvent>::EVENT_TYPE {
                        return #core::codec::decode_envelope::<#events>(format, value)
                            .map(Self::#names)
                            .map_err(|error| #core::codec::DispatchError::Codec {
                                event_type: <#events as #core::KafkaEvent>::EVENT_TYPE,
                                error,
                            });
                    }
                )*
                ::core::result::Result::Err(#core::codec::DispatchError::UnknownEventType {
                    event_type,
                    domain: <Self as #core::codec::DomainEvents>::DOMAIN,
                })
            }

            fn to_record_with(
                &self,
                options: &#core::codec::RecordOptions,
            ) -> ::core::result::Result<#core::codec::KafkaRecord, #core::codec::CodecError> {
                match self {
                    #(Self::#names(envelope) => envelope.to_record_with(options),)*
                }
            }

            fn event_type(&self) -> &'static str {
                match self {
                    #(Self::#names(_) => <#events as #core::KafkaEvent>::EVENT_TYPE,)*
                }
            }

            fn event_id(&self) -> #private::Uuid {
                match self {
                    #(Self::#names(envelope) => envelope.event_id(),)*
                }
            }

            fn timestamp(&self) -> #private::DateTime<#private::Utc> {
                match self {
                    #(Self::#names(envelope) => envelope.timestamp(),)*
                }
            }

            fn with_event_id(self, id: #private::Uuid) -> Self {
                match self {
                    #(Self::#names(envelope) => Self::#names(envelope.with_event_id(id)),)*
                }
            }

            fn with_timestamp(self, timestamp: #private::DateTime<#private::Utc>) -> Self {
                match self {
                    #(Self::#names(envelope) => Self::#names(envelope.with_timestamp(timestamp)),)*
                }
            }

            fn visit_events<V: #core::catalog::EventVisitor>(visitor: &mut V) {
                #(visitor.visit::<#events>();)*
            }

            fn examples() -> #private::Vec<Self> {
                #private::vec![#(
                    Self::#names(#core::catalog::example_envelope(
                        <#events as #core::catalog::Example>::example(),
                    )),
                )*]
            }
        }
    }
}
