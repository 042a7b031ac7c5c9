//! What an audit of event access records: the [`AccessSummary`] a consumer publishes as the
//! catalog's [`AuditEvent`] (see `event_kafka::EventConsumer::with_audit`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::KafkaEvent;

/// The records of one partition a consumer finished between two audits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionRead {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The first offset finished.
    pub first_offset: i64,
    /// The last offset finished.
    pub last_offset: i64,
    /// How many records were finished (`last - first + 1` unless some were skipped, e.g.
    /// transaction markers).
    pub records: u64,
}

/// What a consumer read between two audits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessSummary {
    /// The consumer group.
    pub group_id: String,
    /// The client's `client.id`.
    pub client_id: String,
    /// The principal the cluster knows the client as, where the configuration says it
    /// (`User:<sasl.username>`).
    pub principal: Option<String>,
    /// When the first record of the summary was finished.
    pub from: DateTime<Utc>,
    /// When the last one was.
    pub to: DateTime<Utc>,
    /// Per partition, in topic and partition order.
    pub partitions: Vec<PartitionRead>,
    /// Records handled per event type (dead letters under `dead_letter`), in name order.
    pub events: BTreeMap<String, u64>,
    /// Personal fields decrypted.
    pub decrypted_fields: u64,
}

impl AccessSummary {
    /// Every record of the summary.
    pub fn records(&self) -> u64 {
        self.partitions.iter().map(|p| p.records).sum()
    }
}

/// The catalog's audit event, built from a summary.
pub trait AuditEvent: KafkaEvent {
    /// The event recording `summary`.
    fn from_access(summary: &AccessSummary) -> Self;
}

/// The name under which dead-lettered records are counted in [`AccessSummary::events`].
pub const DEAD_LETTER_COUNT: &str = "dead_letter";
