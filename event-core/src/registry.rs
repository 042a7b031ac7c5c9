//! The registry of every event type linked into the program.
//!
//! `#[derive(KafkaEvent)]` registers each non-generic event (through `inventory`), so tools such
//! as `export-schemas` and the snapshot gate find the whole catalog without a hand-kept list.

use std::collections::BTreeMap;

use crate::topic::TopicSettings;
use crate::KafkaEvent;

/// What the registry knows of one event type.
#[derive(Debug, Clone, Copy)]
pub struct EventDescriptor {
    /// `domain.entity.action`.
    pub event_type: &'static str,
    /// `MAJOR.MINOR.PATCH`.
    pub version: &'static str,
    /// The domain (first segment).
    pub domain: &'static str,
    /// The topic the event goes to.
    pub topic: &'static str,
    /// The Rust type, as `module::path::Name`.
    pub rust_type: &'static str,
    /// The major version (the topic changes with it).
    pub major_version: u64,
    /// The settings of the domain's topic.
    pub topic_settings: TopicSettings,
    /// The compatibility mode of the snapshot gate.
    pub compat: crate::compat::CompatMode,
    /// The event's [`KafkaEvent::json_schema`].
    pub json_schema: fn() -> serde_json::Value,
}

impl EventDescriptor {
    /// The descriptor of `E`, named `rust_type`.
    pub const fn of<E: KafkaEvent>(rust_type: &'static str) -> Self {
        EventDescriptor {
            event_type: E::EVENT_TYPE,
            version: E::VERSION,
            domain: E::DOMAIN,
            topic: E::TOPIC,
            rust_type,
            major_version: E::MAJOR_VERSION,
            topic_settings: TopicSettings::of::<E::Domain>(),
            compat: E::COMPAT,
            json_schema: E::json_schema,
        }
    }
}

inventory::collect!(EventDescriptor);

/// Two Rust types that declare the same event name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateEvent {
    /// The shared name.
    pub event_type: &'static str,
    /// The Rust types declaring it, sorted.
    pub rust_types: Vec<&'static str>,
}

/// Errors of the registry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
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

/// Every registered event, sorted by event name, or an error naming every pair of types that
/// share a name.
pub fn catalog() -> Result<Vec<&'static EventDescriptor>, RegistryError> {
    check_unique(inventory::iter::<EventDescriptor>.into_iter().collect())
}

/// Sorts `events` by name and rejects duplicate names.
pub fn check_unique(
    mut events: Vec<&'static EventDescriptor>,
) -> Result<Vec<&'static EventDescriptor>, RegistryError> {
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
        Err(RegistryError::DuplicateEventNames(duplicates))
    }
}
