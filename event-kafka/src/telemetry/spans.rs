//! `tracing` spans of the clients, with OpenTelemetry's messaging semantic conventions, and
//! the W3C trace context in the record headers (with the `opentelemetry` feature).
//!
//! A span's fields are recorded only when a subscriber wants it: with none, a span costs a
//! check of the callsite's interest.

use event_core::codec::CORRELATION_HEADER;
use tracing::field::Empty;
use tracing::Span;

use crate::headers::RecordHeader;

/// Header of the W3C trace context's `traceparent` (version, trace id, parent span id, flags).
pub const TRACEPARENT_HEADER: &str = "traceparent";
/// Header of the W3C trace context's `tracestate` (vendor-specific trace data).
pub const TRACESTATE_HEADER: &str = "tracestate";

/// The span of sending one event: `send <topic>`, kind producer, around validating, encoding
/// and handing it over, then until the cluster acknowledges it ([`delivered`] records where).
/// The key and correlation id are recorded once the record is built ([`record_sent`]).
pub(crate) fn send_span(topic: &str, event_type: &str, event_id: uuid::Uuid) -> Span {
    let span = tracing::info_span!(
        target: "event_kafka",
        "send",
        otel.name = Empty,
        otel.kind = "producer",
        messaging.system = "kafka",
        messaging.operation.type = "send",
        messaging.operation.name = "send",
        messaging.destination.name = topic,
        messaging.destination.partition.id = Empty,
        messaging.kafka.offset = Empty,
        messaging.kafka.message.key = Empty,
        event_type = event_type,
        event_id = Empty,
        correlation_id = Empty,
    );
    if !span.is_disabled() {
        name(&span, "send", topic);
        span.record("event_id", tracing::field::display(event_id));
    }
    span
}

/// Records the key and correlation id of a built record on its send span.
pub(crate) fn record_sent(span: &Span, key: Option<&[u8]>, correlation_id: Option<&[u8]>) {
    if !span.is_disabled() {
        record_key_and_correlation(span, key, correlation_id);
    }
}

/// Where a record was read.
pub(crate) struct ReadFrom<'a> {
    pub(crate) topic: &'a str,
    pub(crate) partition: i32,
    pub(crate) offset: i64,
    pub(crate) group: &'a str,
}

/// The span of handling one record: `process <topic>`, kind consumer, around decoding and
/// handling it, continuing the trace of the record's `traceparent` when there is one. The
/// event type and id are recorded once the record is decoded ([`decoded`]).
pub(crate) fn process_span(
    from: &ReadFrom<'_>,
    key: Option<&[u8]>,
    headers: &[RecordHeader<'_>],
) -> Span {
    let span = tracing::info_span!(
        target: "event_kafka",
        "process",
        otel.name = Empty,
        otel.kind = "consumer",
        messaging.system = "kafka",
        messaging.operation.type = "process",
        messaging.operation.name = "process",
        messaging.destination.name = from.topic,
        messaging.consumer.group.name = from.group,
        messaging.destination.partition.id = from.partition,
        messaging.kafka.offset = from.offset,
        messaging.kafka.message.key = Empty,
        event_type = Empty,
        event_id = Empty,
        correlation_id = Empty,
    );
    if !span.is_disabled() {
        name(&span, "process", from.topic);
        record_key_and_correlation(&span, key, correlation_of(headers));
        propagation::continue_trace(&span, headers);
    }
    span
}

/// Records where an acknowledged record was written.
pub(crate) fn delivered(span: &Span, partition: i32, offset: i64) {
    if !span.is_disabled() {
        span.record("messaging.destination.partition.id", partition);
        span.record("messaging.kafka.offset", offset);
    }
}

/// Records the id of the decoded event.
pub(crate) fn decoded(span: &Span, event_type: &str, event_id: uuid::Uuid) {
    if !span.is_disabled() {
        span.record("event_type", event_type);
        span.record("event_id", tracing::field::display(event_id));
    }
}

/// Writes the trace context of `span` into `headers` (with the `opentelemetry` feature and a
/// sampled OpenTelemetry span; else nothing).
pub(crate) fn inject(span: &Span, headers: &mut Vec<(&'static str, Vec<u8>)>) {
    if !span.is_disabled() {
        propagation::inject(span, headers);
    }
}

/// The span's name in OpenTelemetry: `<operation> <topic>`.
fn name(span: &Span, operation: &str, topic: &str) {
    span.record(
        "otel.name",
        tracing::field::display(format_args!("{operation} {topic}")),
    );
}

fn record_key_and_correlation(span: &Span, key: Option<&[u8]>, correlation_id: Option<&[u8]>) {
    if let Some(key) = key {
        span.record(
            "messaging.kafka.message.key",
            String::from_utf8_lossy(key).as_ref(),
        );
    }
    if let Some(id) = correlation_id {
        span.record("correlation_id", String::from_utf8_lossy(id).as_ref());
    }
}

/// The correlation id header among `headers`.
fn correlation_of<'h>(headers: &[RecordHeader<'h>]) -> Option<&'h [u8]> {
    headers
        .iter()
        .find(|header| header.name == CORRELATION_HEADER.as_bytes())
        .and_then(|header| header.value)
}

#[cfg(feature = "opentelemetry")]
mod propagation {
    use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
    use opentelemetry::trace::TraceContextExt;
    use opentelemetry_sdk::propagation::TraceContextPropagator;
    use tracing::Span;
    use tracing_opentelemetry::OpenTelemetrySpanExt;

    use super::{TRACEPARENT_HEADER, TRACESTATE_HEADER};
    use crate::headers::RecordHeader;

    /// Record headers as the propagator's carrier on send: only the trace context's two names
    /// are written, each once.
    struct RecordInjector<'a>(&'a mut Vec<(&'static str, Vec<u8>)>);

    impl Injector for RecordInjector<'_> {
        fn set(&mut self, key: &str, value: String) {
            let name = match key {
                TRACEPARENT_HEADER => TRACEPARENT_HEADER,
                TRACESTATE_HEADER => TRACESTATE_HEADER,
                _ => return,
            };
            self.0.retain(|(existing, _)| *existing != name);
            self.0.push((name, value.into_bytes()));
        }
    }

    /// Record headers as the propagator's carrier on consume: names and values that are not
    /// UTF-8 are not there.
    struct RecordExtractor<'a, 'h>(&'a [RecordHeader<'h>]);

    impl Extractor for RecordExtractor<'_, '_> {
        fn get(&self, key: &str) -> Option<&str> {
            self.0
                .iter()
                .find(|header| header.name == key.as_bytes())
                .and_then(|header| header.value)
                .and_then(|value| std::str::from_utf8(value).ok())
        }

        fn keys(&self) -> Vec<&str> {
            self.0
                .iter()
                .filter_map(|header| std::str::from_utf8(header.name).ok())
                .collect()
        }
    }

    pub(super) fn inject(span: &Span, headers: &mut Vec<(&'static str, Vec<u8>)>) {
        let context = span.context();
        TraceContextPropagator::new().inject_context(&context, &mut RecordInjector(headers));
    }

    pub(super) fn continue_trace(span: &Span, headers: &[RecordHeader<'_>]) {
        let parent = TraceContextPropagator::new().extract(&RecordExtractor(headers));
        // Without a (well-formed) incoming context the span keeps the parent it has.
        if !parent.span().span_context().is_valid() {
            return;
        }
        // Fails only when no OpenTelemetry layer records the span: nothing to continue then.
        let _ = span.set_parent(parent);
    }
}

#[cfg(not(feature = "opentelemetry"))]
mod propagation {
    use tracing::Span;

    use crate::headers::RecordHeader;

    pub(super) fn inject(_span: &Span, _headers: &mut Vec<(&'static str, Vec<u8>)>) {}

    pub(super) fn continue_trace(_span: &Span, _headers: &[RecordHeader<'_>]) {}
}
