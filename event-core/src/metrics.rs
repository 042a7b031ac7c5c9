//! The names of the metrics kafka-events' clients report and its generated alert rules read,
//! declared once so that both agree. Prometheus naming: `kafka_events_` prefix, counters end in
//! `_total`; labels are [`TOPIC`], [`GROUP`], [`EVENT_TYPE`], [`SERVICE`], [`PARTITION`] and
//! [`KIND`] where they apply.

/// Gauge: records of a partition the group has not committed yet (high watermark minus
/// committed offset). Labels: topic, partition, group.
pub const CONSUMER_LAG: &str = "kafka_events_consumer_lag";
/// Counter: records a consumer read (handled, dead-lettered or failed). Labels: topic, group,
/// event_type.
pub const CONSUMED_TOTAL: &str = "kafka_events_consumed_total";
/// Counter: handler failures (errors and panics), each try counted. Labels: topic, group.
pub const HANDLER_ERRORS_TOTAL: &str = "kafka_events_handler_errors_total";
/// Counter: records written to a dead-letter topic. Labels: topic, group, kind (the
/// `dlq.error.kind`).
pub const DEAD_LETTERED_TOTAL: &str = "kafka_events_dead_lettered_total";
/// Counter: events a producer could not publish. Labels: topic, service, kind.
pub const PRODUCE_ERRORS_TOTAL: &str = "kafka_events_produce_errors_total";

/// Label: the topic.
pub const TOPIC: &str = "topic";
/// Label: the partition.
pub const PARTITION: &str = "partition";
/// Label: the consumer group.
pub const GROUP: &str = "group";
/// Label: the event's name.
pub const EVENT_TYPE: &str = "event_type";
/// Label: the producing service (the producer's `client.id`).
pub const SERVICE: &str = "service";
/// Label: the kind of an error.
pub const KIND: &str = "kind";
