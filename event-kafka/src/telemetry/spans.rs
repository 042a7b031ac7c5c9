//! `tracing` spans of the clients, with OpenTelemetry's messaging semantic conventions, and
//! the W3C trace context in the record headers (with the `opentelemetry` feature).
//!
//! A span's fields are recorded only when a subscriber wants it: with none, a span costs a
//! check of the callsite's interest.

use std::fmt::{self, Write as _};

use event_core::codec::CORRELATION_HEADER;
use tracing::field::Empty;
use tracing::Span;

use crate::headers::RecordHeader;

/// Header of the W3C trace context's `traceparent` (version, trace id, parent span id, flags).
pub const TRACEPARENT_HEADER: &str = "traceparent";
/// Header of the W3C trace context's `tracestate` (vendor-specific trace data).
pub const TRACESTATE_HEADER: &str = "tracestate";

/// Bytes shown as text, invalid UTF-8 replaced, without copying them first.
struct Lossy<'a>(&'a [u8]);

impl fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_char(char::REPLACEMENT_CHARACTER)?;
            }
        }
        Ok(())
    }
}

/// A span's name in OpenTelemetry: `<operation> <topic>`.
struct SpanName<'a>(&'static str, &'a str);

impl fmt::Display for SpanName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

/// What the send span of an event says.
pub(crate) struct Sending<'a> {
    pub(crate) topic: &'a str,
    pub(crate) event_type: &'a str,
    pub(crate) event_id: uuid::Uuid,
    pub(crate) key: Option<&'a [u8]>,
    pub(crate) correlation_id: Option<&'a [u8]>,
}

/// The span of sending one validated event: `send <topic>`, kind producer, from handing its
/// record over until the cluster acknowledges it ([`delivered`] records where). Every field is
/// given at creation (one call into the subscriber), and evaluated only when a subscriber wants
/// the span.
pub(crate) fn send_span(sending: &Sending<'_>) -> Span {
    tracing::info_span!(
        target: "event_kafka",
        "send",
        otel.name = %SpanName("send", sending.topic),
        otel.kind = "producer",
        messaging.system = "kafka",
        messaging.operation.type = "send",
        messaging.operation.name = "send",
        messaging.destination.name = sending.topic,
        messaging.destination.partition.id = Empty,
        messaging.kafka.offset = Empty,
        messaging.kafka.message.key = sending.key.map(|key| tracing::field::display(Lossy(key))),
        event_type = sending.event_type,
        event_id = %sending.event_id,
        correlation_id = sending.correlation_id.map(|id| tracing::field::display(Lossy(id))),
    )
}

/// What the process span of a record says.
pub(crate) struct Processing<'a> {
    pub(crate) topic: &'a str,
    pub(crate) partition: i32,
    pub(crate) offset: i64,
    pub(crate) group: &'a str,
    pub(crate) key: Option<&'a [u8]>,
    /// The decoded event's type, else the consumer's label for the record.
    pub(crate) event_type: &'a str,
    /// The decoded event's id; `None` for a record that could not be read.
    pub(crate) event_id: Option<uuid::Uuid>,
}

/// The span of handling one record: `process <topic>`, kind consumer, opened once the record
/// is decoded (every field given at creation) and around its handling or dead-lettering,
/// continuing the trace of the record's `traceparent` when there is one.
pub(crate) fn process_span(processing: &Processing<'_>, headers: &[RecordHeader<'_>]) -> Span {
    let span = tracing::info_span!(
        target: "event_kafka",
        "process",
        otel.name = %SpanName("process", processing.topic),
        otel.kind = "consumer",
        messaging.system = "kafka",
        messaging.operation.type = "process",
        messaging.operation.name = "process",
        messaging.destination.name = processing.topic,
        messaging.consumer.group.name = processing.group,
        messaging.destination.partition.id = processing.partition,
        messaging.kafka.offset = processing.offset,
        messaging.kafka.message.key = processing.key.map(|key| tracing::field::display(Lossy(key))),
        event_type = processing.event_type,
        event_id = processing.event_id.map(tracing::field::display),
        correlation_id = correlation_of(headers).map(|id| tracing::field::display(Lossy(id))),
    );
    if !span.is_disabled() {
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

/// Writes the trace context of `span` into `headers` (with the `opentelemetry` feature and a
/// sampled OpenTelemetry span; else nothing).
pub(crate) fn inject(span: &Span, headers: &mut Vec<(&'static str, Vec<u8>)>) {
    if !span.is_disabled() {
        propagation::inject(span, headers);
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
