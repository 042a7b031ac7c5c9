//! The names of the metrics kafka-events' clients report and its generated alert rules read,
//! declared once so that both agree. Prometheus naming: `kafka_events_` prefix, counters end in
//! `_total`, durations are seconds; labels are [`TOPIC`], [`GROUP`], [`EVENT_TYPE`],
//! [`SERVICE`], [`PARTITION`] and [`KIND`] where they apply.

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

/// Counter: events a producer validated and handed to its client. Labels: topic, service,
/// event_type.
pub const PRODUCED_TOTAL: &str = "kafka_events_produced_total";
/// Counter: events the cluster acknowledged. Labels: topic, service, event_type.
pub const DELIVERED_TOTAL: &str = "kafka_events_delivered_total";
/// Counter: bytes of the records (key, value, headers) a producer handed to its client.
/// Labels: topic, service.
pub const PRODUCED_BYTES_TOTAL: &str = "kafka_events_produced_bytes_total";
/// Histogram: seconds from handing an event to the client to the cluster's acknowledgement.
/// Labels: topic, service.
pub const DELIVERY_SECONDS: &str = "kafka_events_delivery_seconds";
/// Gauge: records in a producer's local queue, not yet acknowledged (librdkafka's statistics,
/// `msg_cnt`). Labels: service.
pub const PRODUCER_QUEUE_DEPTH: &str = "kafka_events_producer_queue_depth";
/// Counter: bytes of the records (key, value, headers) a consumer read. Labels: topic, group.
pub const CONSUMED_BYTES_TOTAL: &str = "kafka_events_consumed_bytes_total";
/// Counter: records that could not be read as an event (each also dead-lettered). Labels:
/// topic, group, kind (the `dlq.error.kind`).
pub const DECODE_ERRORS_TOTAL: &str = "kafka_events_decode_errors_total";
/// Histogram: seconds from the envelope's `timestamp` to the end of its handling. Labels:
/// topic, group, event_type.
pub const END_TO_END_SECONDS: &str = "kafka_events_end_to_end_seconds";
/// Histogram: seconds a handler took (each try). Labels: topic, group, event_type.
pub const HANDLER_SECONDS: &str = "kafka_events_handler_seconds";

/// Every histogram above.
pub const HISTOGRAMS: &[&str] = &[DELIVERY_SECONDS, END_TO_END_SECONDS, HANDLER_SECONDS];

/// Bucket bounds in seconds for the histograms: 100 µs to 10 s, dense around the 50 ms target.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

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
