//! A one-event catalog for the unit tests of the clients.

use event_core::catalog::Example;
use event_core::{DomainEvents, Envelope, KafkaEvent};
use serde::{Deserialize, Serialize};

event_core::domain! {
    /// The tests' domain.
    pub struct Probe {
        name: "probe", topic: "test.probe.events",
        partitions: 1, retention_days: 1, priority: Low,
        key_fields: [probe_id],
    }
}

/// The tests' event.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("probe.signal.sent")]
pub struct SignalSent {
    /// Which probe.
    pub probe_id: uuid::Uuid,
}

impl Example for SignalSent {
    fn example() -> Self {
        SignalSent {
            probe_id: uuid::Uuid::from_u128(7),
        }
    }
}

/// The tests' domain enum.
#[derive(DomainEvents, Debug, Clone, PartialEq)]
pub enum Events {
    /// [`SignalSent`].
    SignalSent(Envelope<SignalSent>),
}

/// An event no domain enum of the tests lists (the producer learns nothing about it).
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("probe.signal.lost")]
pub struct SignalLost {
    /// Which probe.
    pub probe_id: uuid::Uuid,
}

impl Example for SignalLost {
    fn example() -> Self {
        SignalLost {
            probe_id: uuid::Uuid::from_u128(8),
        }
    }
}
