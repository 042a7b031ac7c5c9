//! The personal fields and the data subject of each event type, read from its schema once per
//! process.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, PoisonError, RwLock};

use event_core::catalog::{EventVisitor, Example};
use event_core::codec::DomainEvents;
use event_core::personal::PersonalPaths;
use event_core::KafkaEvent;
use serde_json::Value;

/// Where an event type keeps personal data, and whose it is.
#[derive(Debug)]
pub(crate) struct EventFields {
    pub event_type: &'static str,
    /// The event's topic (without a client's suffix).
    pub topic: &'static str,
    pub paths: PersonalPaths,
    /// The wire name of the data-subject field of `data`.
    pub subject: Option<&'static str>,
}

impl EventFields {
    fn of<T: KafkaEvent>() -> Self {
        EventFields {
            event_type: T::EVENT_TYPE,
            topic: T::TOPIC,
            paths: PersonalPaths::of_schema(&T::json_schema()),
            subject: T::DATA_SUBJECT,
        }
    }

    /// The data subject of an envelope: its data's subject field, else its `player_id`.
    pub fn subject_of(&self, envelope: &Value) -> Option<String> {
        let from_data = self
            .subject
            .and_then(|name| envelope.get("data")?.get(name));
        match from_data.or_else(|| envelope.get("player_id"))? {
            Value::Null => None,
            Value::String(id) => Some(id.clone()),
            other => Some(other.to_string()),
        }
    }
}

static KNOWN: LazyLock<RwLock<HashMap<&'static str, Arc<EventFields>>>> =
    LazyLock::new(RwLock::default);

fn known(event_type: &str) -> Option<Arc<EventFields>> {
    KNOWN
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(event_type)
        .cloned()
}

/// Keeps `fields` (unless another thread was first) and returns what is kept.
fn learn(fields: EventFields) -> Arc<EventFields> {
    let mut known = KNOWN.write().unwrap_or_else(PoisonError::into_inner);
    Arc::clone(
        known
            .entry(fields.event_type)
            .or_insert_with(|| Arc::new(fields)),
    )
}

/// The personal fields of `T`.
pub(crate) fn fields_of<T: KafkaEvent>() -> Arc<EventFields> {
    known(T::EVENT_TYPE).unwrap_or_else(|| learn(EventFields::of::<T>()))
}

/// The personal fields of the event of `E` named `event_type` (`None` for a name `E` does not
/// have).
pub(crate) fn fields_of_domain<E: DomainEvents>(event_type: &str) -> Option<Arc<EventFields>> {
    if let Some(fields) = known(event_type) {
        return Some(fields);
    }
    struct Learn;
    impl EventVisitor for Learn {
        fn visit<T: Example>(&mut self) {
            if known(T::EVENT_TYPE).is_none() {
                learn(EventFields::of::<T>());
            }
        }
    }
    E::visit_events(&mut Learn);
    known(event_type)
}
