//! What the clients report to an operator.
//!
//! **Metrics** through the [`metrics`] facade, named in [`event_core::metrics`]: counters of
//! events produced, delivered, refused and failed, of records read, handler errors, dead
//! letters and decode errors, bytes both ways; histograms of delivery, end-to-end and handler
//! latency; gauges of the consumer lag per partition and of the producer's queue depth, from
//! librdkafka's statistics (every [`STATISTICS_INTERVAL_MS`] ms). Install a recorder (for
//! instance `serve_prometheus` with the `prometheus` feature) before creating the clients.
//!
//! **Spans** through [`tracing`], with OpenTelemetry's messaging conventions: `send <topic>`
//! (kind producer) from handing a validated event over until its acknowledgement, and
//! `process <topic>` (kind consumer) around handling (or dead-lettering) a decoded record;
//! both carry `event_type`, `event_id` and `correlation_id`. With the `opentelemetry` feature
//! the send span's context travels in the [`TRACEPARENT_HEADER`] and [`TRACESTATE_HEADER`]
//! headers and the process span continues it.

mod instruments;
#[cfg(feature = "prometheus")]
mod prometheus;
mod spans;
mod statistics;

pub(crate) use instruments::{
    record_bytes, ConsumerMetrics, ProducerMetrics, SendInstruments, UNKNOWN_EVENT_TYPE,
};
#[cfg(feature = "prometheus")]
pub use prometheus::{prometheus_builder, serve_prometheus, PrometheusError};
pub(crate) use spans::{delivered, inject, process_span, send_span, Processing, Sending};
pub use spans::{TRACEPARENT_HEADER, TRACESTATE_HEADER};
pub use statistics::CLIENT;
pub(crate) use statistics::{ConsumerStatistics, ProducerStatistics};

/// How often librdkafka reports the statistics the lag and queue-depth gauges are read from,
/// unless `statistics.interval.ms` is configured.
pub const STATISTICS_INTERVAL_MS: &str = "5000";
