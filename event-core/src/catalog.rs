//! Declaring a catalog: its events, each with a realistic example.
//!
//! A catalog is the set of [`DomainEvents`](crate::codec::DomainEvents) enums a crate
//! declares with `#[derive(DomainEvents)]`: each variant is one event. Those enums are the one
//! list of the catalog's events: consumers dispatch with them, and the tools (`event-tools`)
//! walk them with an [`EventVisitor`] to export, snapshot and generate code.
//!
//! ```
//! use event_core::catalog::{example_envelope, Example};
//! use event_core::{DomainEvents, Envelope, KafkaEvent};
//! use serde::{Deserialize, Serialize};
//!
//! event_core::domain! {
//!     /// Matchmaking queues.
//!     pub struct Matchmaking {
//!         name: "matchmaking", topic: "game.matchmaking.events",
//!         partitions: 6, retention_days: 3, priority: Normal,
//!         key_fields: [player_id],
//!     }
//! }
//!
//! #[derive(KafkaEvent, Serialize, Deserialize, Debug, PartialEq)]
//! #[event("matchmaking.queue.join")]
//! pub struct QueueJoin {
//!     pub player_id: uuid::Uuid,
//! }
//!
//! impl Example for QueueJoin {
//!     fn example() -> Self {
//!         QueueJoin { player_id: uuid::Uuid::from_u128(7) }
//!     }
//! }
//!
//! #[derive(DomainEvents, Debug, PartialEq)]
//! pub enum MatchmakingEvent {
//!     QueueJoin(Envelope<QueueJoin>),
//! }
//!
//! assert_eq!(MatchmakingEvent::EVENT_TYPES, ["matchmaking.queue.join"]);
//! assert_eq!(MatchmakingEvent::examples().len(), 1);
//! let record = example_envelope(QueueJoin::example()).to_record().unwrap();
//! assert!(matches!(
//!     MatchmakingEvent::decode_record(&record),
//!     Ok(MatchmakingEvent::QueueJoin(_))
//! ));
//! ```

use std::collections::BTreeMap;
use std::fmt::Debug;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::topic::TopicSettings;
use crate::{Envelope, KafkaEvent};

/// An event of a catalog, with a realistic example instance.
pub trait Example: KafkaEvent + PartialEq + Debug {
    /// A realistic instance of the event (never zeros), used in docs, exports and tests.
    fn example() -> Self;
}

/// Walks the events of a catalog: [`DomainEvents::visit_events`](crate::codec::DomainEvents::visit_events)
/// calls [`visit`](EventVisitor::visit) once per event, in declaration order.
pub trait EventVisitor {
    /// Called with each event type of the enum.
    fn visit<E: Example>(&mut self);
}

/// The instant examples are stamped with: 2026-11-20 18:04:12 UTC.
pub const EXAMPLE_TIMESTAMP: i64 = 1_795_716_252;

/// [`EXAMPLE_TIMESTAMP`] plus `offset_s` seconds, for examples that need several instants.
pub fn example_time(offset_s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(EXAMPLE_TIMESTAMP.saturating_add(offset_s), 0).unwrap_or_default()
}

/// `event` in an envelope whose id, time, source and correlation id are fixed per event name,
/// so exports are deterministic.
///
/// ```
/// # use event_core::{catalog::example_envelope, Envelope, KafkaEvent};
/// # #[derive(KafkaEvent, serde::Serialize, serde::Deserialize)]
/// # #[event("ops.node.started", domain = Ops)]
/// # pub struct NodeStarted { pub node: String }
/// # event_core::domain! { pub struct Ops { name: "ops", topic: "ops.events", partitions: 1, retention_days: 1, priority: Low } }
/// let a = example_envelope(NodeStarted { node: "n1".into() });
/// let b = example_envelope(NodeStarted { node: "n2".into() });
/// assert_eq!(a.event_id(), b.event_id());
/// assert_eq!(a.event_id().get_version_num(), 5);
/// ```
pub fn example_envelope<E: KafkaEvent>(event: E) -> Envelope<E> {
    Envelope::new(event)
        .with_event_id(stable_id(E::EVENT_TYPE))
        .with_timestamp(example_time(0))
        .with_source(format!("{}-service", E::DOMAIN))
        .with_correlation_id(stable_id(&format!("{}#correlation", E::EVENT_TYPE)))
}

/// The namespace of example ids (a v5 uuid of `kafka-events` in the URL namespace).
const EXAMPLE_NAMESPACE: Uuid = Uuid::from_u128(0x8b16_6e5a_6f35_5dec_b551_2372_3999_df32);

/// A name-based (version 5) uuid of `seed`: fixed per seed, distinct per seed.
fn stable_id(seed: &str) -> Uuid {
    Uuid::new_v5(&EXAMPLE_NAMESPACE, seed.as_bytes())
}

/// What a catalog knows of one event type.
#[derive(Debug, Clone, Copy)]
pub struct EventDescriptor {
    /// `domain.entity.action`.
    pub event_type: &'static str,
    /// The schema version.
    pub version: crate::SemVer,
    /// The domain (first segment).
    pub domain: &'static str,
    /// The topic the event goes to.
    pub topic: &'static str,
    /// The Rust type, as `module::path::Name`.
    pub rust_type: &'static str,
    /// The settings of the domain's topic.
    pub topic_settings: TopicSettings,
    /// The compatibility mode of the snapshot gate.
    pub compat: crate::compat::CompatMode,
    /// The event's [`KafkaEvent::json_schema`].
    pub json_schema: fn() -> serde_json::Value,
    /// Whose personal data it carries ([`KafkaEvent::DATA_SUBJECT`]).
    pub data_subject: Option<&'static str>,
    /// The data field its partition key is read from ([`KafkaEvent::KEY_FIELD`]).
    pub key_field: Option<&'static str>,
}

impl EventDescriptor {
    /// The descriptor of `E`.
    pub fn of<E: KafkaEvent>() -> Self {
        EventDescriptor {
            event_type: E::EVENT_TYPE,
            version: E::VERSION,
            domain: E::DOMAIN,
            topic: E::TOPIC,
            rust_type: std::any::type_name::<E>(),
            topic_settings: TopicSettings::of::<E::Domain>(),
            compat: E::COMPAT,
            json_schema: E::json_schema,
            data_subject: E::DATA_SUBJECT,
            key_field: E::KEY_FIELD,
        }
    }
}

/// Two Rust types that declare the same event name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateEvent {
    /// The shared name.
    pub event_type: &'static str,
    /// The Rust types declaring it, sorted.
    pub rust_types: Vec<&'static str>,
}

/// Errors of a catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// Event names must be unique in one catalog.
    #[error("{}", describe_duplicates(.0))]
    DuplicateEventNames(Vec<DuplicateEvent>),
}

fn describe_duplicates(duplicates: &[DuplicateEvent]) -> String {
    duplicates
        .iter()
        .map(|d| {
            format!(
                "event name `{}` is declared by more than one type: {}; give each event its own name",
                d.event_type,
                d.rust_types.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(" and ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sorts `events` by name and rejects duplicate names, naming every pair of types that share
/// one.
pub fn check_unique(
    mut events: Vec<EventDescriptor>,
) -> Result<Vec<EventDescriptor>, CatalogError> {
    events.sort_by(|a, b| (a.event_type, a.rust_type).cmp(&(b.event_type, b.rust_type)));
    let mut by_name: BTreeMap<&'static str, Vec<&'static str>> = BTreeMap::new();
    for event in &events {
        by_name
            .entry(event.event_type)
            .or_default()
            .push(event.rust_type);
    }
    let duplicates: Vec<DuplicateEvent> = by_name
        .into_iter()
        .filter(|(_, types)| types.len() > 1)
        .map(|(event_type, rust_types)| DuplicateEvent {
            event_type,
            rust_types,
        })
        .collect();
    if duplicates.is_empty() {
        Ok(events)
    } else {
        Err(CatalogError::DuplicateEventNames(duplicates))
    }
}
