//! `#[derive(DomainEvents)]`: a dispatch enum whose variants are `Name(Envelope<Event>)`, or
//! `#[domain] Name(DomainEnum)` for every event of another `DomainEvents` enum (one consumer
//! for several domains).
//!
//! Parsing and validation collect every problem of the enum (not an enum, generics, a variant
//! of another shape) before anything is expanded.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, GenericArgument, PathArguments, Type};

use crate::ctxt::Ctxt;

const VARIANT_FORM: &str = "expected a variant of the form `Name(Envelope<Event>)`, one per event of the catalog, or `#[domain] Name(DomainEnum)` for every event of another DomainEvents enum";

/// The helper attribute of a variant that holds a whole `DomainEvents` enum.
const DOMAIN_ATTRIBUTE: &str = "domain";

/// One variant: its name and what it holds.
struct Variant<'a> {
    ident: &'a syn::Ident,
    holds: Holds<'a>,
}

/// What a variant holds.
enum Holds<'a> {
    /// One event: `Name(Envelope<Event>)`.
    Event(&'a Type),
    /// Every event of another `DomainEvents` enum: `#[domain] Name(DomainEnum)`.
    Domain(&'a Type),
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
            let is_domain = domain_attribute(cx, variant);
            let single = match &variant.fields {
                Fields::Unnamed(fields) if fields.unnamed.len() == 1 => Some(&fields.unnamed[0].ty),
                _ => None,
            };
            let holds = match single {
                Some(ty) if is_domain => Some(Holds::Domain(ty)),
                Some(ty) => envelope_argument(ty).map(Holds::Event),
                None => None,
            };
            if holds.is_none() {
                cx.error_spanned_by(variant, VARIANT_FORM);
            }
            if let Some((_, discriminant)) = &variant.discriminant {
                cx.error_spanned_by(discriminant, "a DomainEvents variant takes no discriminant");
            }
            holds.map(|holds| Variant {
                ident: &variant.ident,
                holds,
            })
        })
        .collect()
}

/// Whether `variant` is marked `#[domain]` (an argument, or the mark twice, is an error).
fn domain_attribute(cx: &mut Ctxt, variant: &syn::Variant) -> bool {
    let mut marks = variant
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident(DOMAIN_ATTRIBUTE));
    let Some(first) = marks.next() else {
        return false;
    };
    if !matches!(first.meta, syn::Meta::Path(_)) {
        cx.error_spanned_by(
            &first.meta,
            "`#[domain]` takes no arguments: it marks a variant holding a whole DomainEvents enum",
        );
    }
    for repeated in marks {
        cx.error_spanned_by(repeated, "`#[domain]` is given more than once");
    }
    true
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
    let Some(first) = variants.first() else {
        return TokenStream::new();
    };
    let core = quote!(::event_core);
    let private = quote!(#core::__private);
    let traits = quote!(#core::codec::DomainEvents);
    let has_domains = variants
        .iter()
        .any(|variant| matches!(variant.holds, Holds::Domain(_)));

    let domain = match first.holds {
        Holds::Event(event) => quote!(<#event as #core::KafkaEvent>::DOMAIN),
        Holds::Domain(inner) => quote!(<#inner as #traits>::DOMAIN),
    };
    let event_types = event_types(variants, &core);
    let topics = per_variant(
        variants,
        |_, event| quote!(topics.push(<#event as #core::KafkaEvent>::TOPIC);),
        |_, inner| quote!(topics.extend(<#inner as #traits>::topics());),
    );
    let decoders = per_variant(
        variants,
        |name, event| {
            quote! {
                if *event_type == *<#event as #core::KafkaEvent>::EVENT_TYPE.as_bytes() {
                    return #core::codec::decode_envelope::<#event>(format, value)
                        .map(Self::#name)
                        .map_err(|error| #core::codec::DispatchError::Codec {
                            event_type: <#event as #core::KafkaEvent>::EVENT_TYPE,
                            error,
                        });
                }
            }
        },
        |name, inner| {
            quote! {
                if <#inner as #traits>::EVENT_TYPES.iter().any(|known| *known.as_bytes() == *event_type) {
                    return <#inner as #traits>::decode_as(
                        ::core::option::Option::Some(&event_type),
                        format,
                        value,
                    )
                    .map(Self::#name);
                }
            }
        },
    );
    let to_record = per_variant(
        variants,
        |name, _| quote!(Self::#name(envelope) => envelope.to_record_with(options),),
        |name, inner| quote!(Self::#name(events) => <#inner as #traits>::to_record_with(events, options),),
    );
    let event_type = per_variant(
        variants,
        |name, event| quote!(Self::#name(_) => <#event as #core::KafkaEvent>::EVENT_TYPE,),
        |name, inner| quote!(Self::#name(events) => <#inner as #traits>::event_type(events),),
    );
    let event_id = per_variant(
        variants,
        |name, _| quote!(Self::#name(envelope) => envelope.event_id(),),
        |name, inner| quote!(Self::#name(events) => <#inner as #traits>::event_id(events),),
    );
    let timestamp = per_variant(
        variants,
        |name, _| quote!(Self::#name(envelope) => envelope.timestamp(),),
        |name, inner| quote!(Self::#name(events) => <#inner as #traits>::timestamp(events),),
    );
    let with_event_id = per_variant(
        variants,
        |name, _| quote!(Self::#name(envelope) => Self::#name(envelope.with_event_id(id)),),
        |name, inner| {
            quote! {
                Self::#name(events) => Self::#name(<#inner as #traits>::with_event_id(events, id)),
            }
        },
    );
    let with_timestamp = per_variant(
        variants,
        |name, _| quote!(Self::#name(envelope) => Self::#name(envelope.with_timestamp(timestamp)),),
        |name, inner| {
            quote! {
                Self::#name(events) =>
                    Self::#name(<#inner as #traits>::with_timestamp(events, timestamp)),
            }
        },
    );
    let visits = per_variant(
        variants,
        |_, event| quote!(visitor.visit::<#event>();),
        |_, inner| quote!(<#inner as #traits>::visit_events(visitor);),
    );
    let visit_events = if has_domains {
        quote! {
            let visitor = &mut #private::DistinctEvents::new(visitor);
            #(#visits)*
        }
    } else {
        quote!(#(#visits)*)
    };
    let examples = per_variant(
        variants,
        |name, event| {
            quote! {
                examples.push(Self::#name(#core::catalog::example_envelope(
                    <#event as #core::catalog::Example>::example(),
                )));
            }
        },
        |name, inner| {
            quote! {
                examples.extend(<#inner as #traits>::examples().into_iter().map(Self::#name));
            }
        },
    );
    let kept = if has_domains {
        quote!(#private::distinct_events(examples))
    } else {
        quote!(examples)
    };
    let examples = quote! {
        let mut examples = #private::Vec::new();
        #(#examples)*
        #kept
    };
    quote! {
        #[automatically_derived]
        impl #traits for #ident {
            const DOMAIN: &'static str = #domain;
            const EVENT_TYPES: &'static [&'static str] = #event_types;

            fn topics() -> #private::Vec<&'static str> {
                let mut topics = #private::Vec::new();
                #(#topics)*
                topics.sort_unstable();
                topics.dedup();
                topics
            }

            fn decode_as(
                event_type_header: ::core::option::Option<&[u8]>,
                format: #core::codec::WireFormat,
                value: &[u8],
            ) -> ::core::result::Result<Self, #core::codec::DispatchError> {
                let event_type = #private::event_type_name(event_type_header, value)?;
                #(#decoders)*
                ::core::result::Result::Err(#core::codec::DispatchError::UnknownEventType {
                    event_type: #private::String::from_utf8_lossy(&event_type).into_owned(),
                    domain: <Self as #traits>::DOMAIN,
                })
            }

            fn to_record_with(
                &self,
                options: &#core::codec::RecordOptions,
            ) -> ::core::result::Result<#core::codec::KafkaRecord, #core::codec::CodecError> {
                match self {
                    #(#to_record)*
                }
            }

            fn event_type(&self) -> &'static str {
                match self {
                    #(#event_type)*
                }
            }

            fn event_id(&self) -> #private::Uuid {
                match self {
                    #(#event_id)*
                }
            }

            fn timestamp(&self) -> #private::DateTime<#private::Utc> {
                match self {
                    #(#timestamp)*
                }
            }

            fn with_event_id(self, id: #private::Uuid) -> Self {
                match self {
                    #(#with_event_id)*
                }
            }

            fn with_timestamp(self, timestamp: #private::DateTime<#private::Utc>) -> Self {
                match self {
                    #(#with_timestamp)*
                }
            }

            fn visit_events<V: #core::catalog::EventVisitor>(visitor: &mut V) {
                #visit_events
            }

            fn examples() -> #private::Vec<Self> {
                #examples
            }
        }
    }
}

/// One piece of code per variant: `on_event(name, Event)` for `Name(Envelope<Event>)`,
/// `on_domain(name, DomainEnum)` for `#[domain] Name(DomainEnum)`.
fn per_variant(
    variants: &[Variant],
    on_event: impl Fn(&syn::Ident, &Type) -> TokenStream,
    on_domain: impl Fn(&syn::Ident, &Type) -> TokenStream,
) -> Vec<TokenStream> {
    variants
        .iter()
        .map(|variant| match variant.holds {
            Holds::Event(event) => on_event(variant.ident, event),
            Holds::Domain(inner) => on_domain(variant.ident, inner),
        })
        .collect()
}

/// `EVENT_TYPES`: a list of the events' names, or, with `#[domain]` variants, the distinct
/// names of every part, computed at compile time.
fn event_types(variants: &[Variant], core: &TokenStream) -> TokenStream {
    let parts = variants.iter().map(|variant| match variant.holds {
        Holds::Event(event) => quote!(&[<#event as #core::KafkaEvent>::EVENT_TYPE]),
        Holds::Domain(inner) => quote!(<#inner as #core::codec::DomainEvents>::EVENT_TYPES),
    });
    let all_events = variants
        .iter()
        .all(|variant| matches!(variant.holds, Holds::Event(_)));
    if all_events {
        let events = variants.iter().filter_map(|variant| match variant.holds {
            Holds::Event(event) => Some(event),
            Holds::Domain(_) => None,
        });
        return quote!(&[#(<#events as #core::KafkaEvent>::EVENT_TYPE),*]);
    }
    let private = quote!(#core::__private);
    quote! {{
        const PARTS: &[&[&str]] = &[#(#parts),*];
        const COUNT: usize = #private::distinct_count(PARTS);
        const NAMES: [&str; COUNT] = #private::distinct_names(PARTS);
        &NAMES
    }}
}
