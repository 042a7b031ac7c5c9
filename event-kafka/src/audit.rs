//! Who read what: a consumer with an audit ([`EventConsumer::with_audit`](crate::EventConsumer::with_audit))
//! counts the records it finished (handled or dead-lettered) per partition and event type, and
//! the personal fields it decrypted, and publishes them as an event of the catalog (an
//! [`AuditEvent`]) before offsets are committed: at [`commit`](crate::EventConsumer::commit)
//! and every [`AUDIT_INTERVAL`] while polling.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
pub use event_core::audit::{AccessSummary, AuditEvent, PartitionRead, DEAD_LETTER_COUNT};
use event_core::Envelope;

use crate::{EventProducer, KafkaConfig, ProduceError};

/// How often a polling consumer publishes what it read (the consumer's background commit runs
/// every second too).
pub const AUDIT_INTERVAL: Duration = Duration::from_secs(1);

/// A consumer's audit: what it read since the last one, and how to publish it.
pub(crate) struct Audit {
    producer: EventProducer,
    publish: fn(&EventProducer, &AccessSummary) -> Result<(), ProduceError>,
    identity: (String, String, Option<String>),
    open: Option<Open>,
    last: Instant,
}

struct Open {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    partitions: BTreeMap<(String, i32), PartitionRead>,
    events: BTreeMap<String, u64>,
    decrypted_fields: u64,
}

fn publish<A: AuditEvent>(
    producer: &EventProducer,
    summary: &AccessSummary,
) -> Result<(), ProduceError> {
    let event = Envelope::new(A::from_access(summary)).with_source(summary.client_id.clone());
    producer.send_blocking(&event).map(|_| ())
}

impl Audit {
    pub fn new<A: AuditEvent>(
        producer: EventProducer,
        config: &KafkaConfig,
        group_id: &str,
    ) -> Self {
        let client_id = config.get("client.id").unwrap_or("rdkafka").to_owned();
        let principal = config
            .get("sasl.username")
            .map(|user| format!("User:{user}"));
        Audit {
            producer,
            publish: publish::<A>,
            identity: (group_id.to_owned(), client_id, principal),
            open: None,
            last: Instant::now(),
        }
    }

    /// Counts a finished record.
    pub fn record(
        &mut self,
        topic: &str,
        partition: i32,
        offset: i64,
        event_type: &str,
        decrypted: usize,
    ) {
        let now = Utc::now();
        let open = self.open.get_or_insert_with(|| Open {
            from: now,
            to: now,
            partitions: BTreeMap::new(),
            events: BTreeMap::new(),
            decrypted_fields: 0,
        });
        open.to = now;
        let read = open
            .partitions
            .entry((topic.to_owned(), partition))
            .or_insert_with(|| PartitionRead {
                topic: topic.to_owned(),
                partition,
                first_offset: offset,
                last_offset: offset,
                records: 0,
            });
        read.first_offset = read.first_offset.min(offset);
        read.last_offset = read.last_offset.max(offset);
        read.records += 1;
        *open.events.entry(event_type.to_owned()).or_default() += 1;
        open.decrypted_fields += decrypted as u64;
    }

    /// Publishes what was read when [`AUDIT_INTERVAL`] has passed (or `now` is asked), and
    /// waits for the broker; on failure it is kept for the next try.
    pub fn publish_if_due(&mut self, now: bool) -> Result<(), ProduceError> {
        if !now && self.last.elapsed() < AUDIT_INTERVAL {
            return Ok(());
        }
        self.last = Instant::now();
        let Some(open) = &self.open else {
            return Ok(());
        };
        let (group_id, client_id, principal) = self.identity.clone();
        let summary = AccessSummary {
            group_id,
            client_id,
            principal,
            from: open.from,
            to: open.to,
            partitions: open.partitions.values().cloned().collect(),
            events: open.events.clone(),
            decrypted_fields: open.decrypted_fields,
        };
        (self.publish)(&self.producer, &summary)?;
        self.open = None;
        Ok(())
    }
}
