//! Derive macros of kafka-events. Use them through `event-core`, which re-exports them:
//! `use event_core::{EventSchema, KafkaEvent};` brings each trait and its derive.
//!
//! Each derive runs in three steps, as serde_derive and thiserror do: `ast` parses the input and
//! its attributes into typed data, `validate` checks the rules that need no types, `expand`
//! writes the impls. Errors are collected in a `Ctxt` (module `ctxt`) and reported together.

mod ast;
mod attr;
mod case;
mod ctxt;
mod domain_events;
mod expand;
mod serde_attr;
mod validate;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

use crate::ast::Container;
use crate::ctxt::Ctxt;

/// Derives `event_core::KafkaEvent` (and `event_core::EventSchema`) for an event struct.
///
/// ```ignore
/// #[derive(KafkaEvent, Serialize, Deserialize)]
/// #[event("combat.session.start", version = "1.0.0")]
/// pub struct CombatSessionStart { /* fields */ }
/// ```
///
/// See the `event-core` documentation for every attribute.
#[proc_macro_derive(KafkaEvent, attributes(event, serde))]
pub fn derive_kafka_event(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input, true).into()
}

/// Derives `event_core::EventSchema` for a type used inside events.
#[proc_macro_derive(EventSchema, attributes(event, serde))]
pub fn derive_event_schema(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input, false).into()
}

/// Derives `event_core::codec::DomainEvents` for a dispatch enum: one variant
/// `Name(Envelope<Event>)` per event, each event implementing `event_core::catalog::Example`;
/// or `#[domain] Name(DomainEnum)` for every event of another `DomainEvents` enum, so that one
/// consumer reads several domains (an event two of them list is decoded by the first).
///
/// ```ignore
/// #[derive(DomainEvents, Debug, Clone, PartialEq)]
/// pub enum CombatEvent {
///     CombatSessionStart(Envelope<CombatSessionStart>),
///     PlayerAttack(Envelope<PlayerAttack>),
/// }
///
/// #[derive(DomainEvents, Debug, Clone, PartialEq)]
/// pub enum GameEvent {
///     #[domain]
///     Combat(CombatEvent),
///     #[domain]
///     Economy(EconomyEvent),
/// }
/// ```
#[proc_macro_derive(DomainEvents, attributes(domain))]
pub fn derive_domain_events(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    domain_events::derive(&input).into()
}

fn derive(input: &DeriveInput, is_event: bool) -> proc_macro2::TokenStream {
    let mut cx = Ctxt::default();
    let Some(container) = Container::from_ast(&mut cx, input) else {
        let mut tokens = errors(cx);
        tokens.extend(expand::fallback(input, is_event));
        return tokens;
    };
    validate::container(&mut cx, &container, is_event);
    let spec = if is_event {
        validate::event(&mut cx, &container)
    } else {
        None
    };
    if let Err(error) = cx.check() {
        let mut tokens = ctxt::to_compile_errors(error);
        tokens.extend(expand::fallback(input, is_event));
        return tokens;
    }
    let mut tokens = expand::expand_event_schema(&container);
    tokens.extend(expand::expand_validate(&container));
    tokens.extend(expand::expand_write_json(&container));
    tokens.extend(expand::expand_read_json(&container));
    tokens.extend(expand::expand_binary(&container));
    if let Some(spec) = spec {
        tokens.extend(expand::expand_kafka_event(&container, &spec));
    }
    tokens
}

fn errors(cx: Ctxt) -> proc_macro2::TokenStream {
    cx.check()
        .err()
        .map(ctxt::to_compile_errors)
        .unwrap_or_default()
}
