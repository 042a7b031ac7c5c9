//! The personal fields and the data subject of each event type, read from its schema once per
//! process.

use std::sync::{Arc, LazyLock};

use event_core::catalog::{EventVisitor, Example};
use event_core::codec::DomainEvents;
use event_core::personal::PersonalPaths;
use event_core::KafkaEvent;
use serde_json::Value;

use crate::by_event_type::ByEventType;

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

/// The personal fields of every event type met so far in this process.
static KNOWN: LazyLock<ByEventType<EventFields>> = LazyLock::new(ByEventType::default);

fn known(event_type: &str) -> Option<Arc<EventFields>> {
    KNOWN.get(event_type)
}

/// The personal fields of `T`.
pub(crate) fn fields_of<T: KafkaEvent>() -> Arc<EventFields> {
    KNOWN.get_or_make(T::EVENT_TYPE, EventFields::of::<T>)
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
            KNOWN.get_or_make(T::EVENT_TYPE, EventFields::of::<T>);
        }
    }
    E::visit_events(&mut Learn);
    known(event_type)
}
