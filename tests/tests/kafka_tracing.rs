//! Traces through the Apache Kafka broker: a consumer's span continues the producer's trace
//! through the record's `traceparent` header, with the correlation id on both. A test binary of
//! its own: the subscriber is the process's default, as in a service (a subscriber scoped to
//! one thread shares tracing's callsite interest cache with every other test thread).

use std::time::{Duration, Instant};

use event_core::catalog::{example_envelope, Example};
use event_core::codec::DomainEvents;
use event_core::KafkaEvent;
use event_domains::combat::PlayerAttack;
use event_domains::CombatEvent;
use event_kafka::{Polled, TRACEPARENT_HEADER};
use kafka_events_tests::hostile::RawProducer;
use kafka_events_tests::kafka::{send_all, Isolated, LIMIT};
use uuid::Uuid;

use opentelemetry::trace::{SpanId, TracerProvider as _};
use opentelemetry::Value;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::layer::SubscriberExt;

fn attribute<'a>(span: &'a SpanData, key: &str) -> Option<&'a Value> {
    span.attributes
        .iter()
        .find(|pair| pair.key.as_str() == key)
        .map(|pair| &pair.value)
}

fn text(span: &SpanData, key: &str) -> String {
    attribute(span, key)
        .map(|value| value.as_str().into_owned())
        .unwrap_or_else(|| panic!("{} has no {key}: {:?}", span.name, span.attributes))
}

#[test]
fn a_consumers_span_continues_the_producers_trace_with_the_correlation_id() {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")));
    let corner = Isolated::new("traced");
    let topic = corner.topic(PlayerAttack::TOPIC);
    let correlation = Uuid::new_v4();
    let traced = CombatEvent::PlayerAttack(
        example_envelope(PlayerAttack::example())
            .with_event_id(Uuid::new_v4())
            .with_correlation_id(correlation),
    );
    // A record from outside any trace (no traceparent), with the same correlation id.
    let untraced_correlation = Uuid::new_v4();
    let untraced = CombatEvent::PlayerAttack(
        example_envelope(PlayerAttack::example())
            .with_event_id(Uuid::new_v4())
            .with_correlation_id(untraced_correlation),
    );
    send_all(&corner.producer(), std::slice::from_ref(&untraced));
    // A record whose traceparent is garbage: read as if it had none.
    let garbled = CombatEvent::PlayerAttack(
        example_envelope(PlayerAttack::example()).with_event_id(Uuid::new_v4()),
    );
    let record = garbled.to_record().expect("record");
    let mut headers: Vec<(&[u8], Option<&[u8]>)> = record
        .headers
        .iter()
        .map(|(name, value)| (name.as_bytes(), Some(value.as_slice())))
        .collect();
    headers.push((
        TRACEPARENT_HEADER.as_bytes(),
        Some(b"00-not-a-trace-\xff-01".as_slice()),
    ));
    RawProducer::new(&corner.config).send(
        &topic,
        record.key.as_deref().unwrap_or_default(),
        &record.value,
        &headers,
    );

    // From here on the process has a subscriber (the untraced record went out before).
    tracing::subscriber::set_global_default(subscriber).expect("the process's subscriber");
    {
        let producer = corner.producer();
        tracing::info_span!("request")
            .in_scope(|| send_all(&producer, std::slice::from_ref(&traced)));
        let reader = corner.consumer::<CombatEvent>("traced");
        let mut seen = 0;
        let started = Instant::now();
        while seen < 3 && started.elapsed() < LIMIT {
            if let Ok(Polled::Handled { .. }) = reader.poll(Duration::from_millis(500), |_| {
                // The handler runs inside the process span.
                tracing::info_span!("handler").in_scope(|| Ok::<(), String>(()))
            }) {
                seen += 1;
            }
        }
        assert_eq!(seen, 3);
    }
    let _ = provider.force_flush();
    let spans = exporter.get_finished_spans().expect("spans");
    let named = |name: &str, id: Uuid| -> SpanData {
        spans
            .iter()
            .find(|span| span.name == name && text(span, "event_id") == id.to_string())
            .unwrap_or_else(|| {
                panic!(
                    "no span {name} of {id}: {:?}",
                    spans.iter().map(|s| &s.name).collect::<Vec<_>>()
                )
            })
            .clone()
    };
    let send = named(&format!("send {topic}"), traced.event_id());
    let process = named(&format!("process {topic}"), traced.event_id());
    assert_eq!(
        send.span_context.trace_id(),
        process.span_context.trace_id(),
        "the consumer's span continues the producer's trace"
    );
    assert_eq!(process.parent_span_id, send.span_context.span_id());
    let request = spans
        .iter()
        .find(|span| span.name == "request")
        .expect("request span");
    assert_eq!(send.parent_span_id, request.span_context.span_id());
    assert_eq!(send.span_kind, opentelemetry::trace::SpanKind::Producer);
    assert_eq!(process.span_kind, opentelemetry::trace::SpanKind::Consumer);
    for span in [&send, &process] {
        assert_eq!(text(span, "correlation_id"), correlation.to_string());
        assert_eq!(text(span, "messaging.system"), "kafka");
        assert_eq!(text(span, "messaging.destination.name"), topic);
        assert_eq!(text(span, "event_type"), PlayerAttack::EVENT_TYPE);
        assert!(attribute(span, "messaging.destination.partition.id").is_some());
        assert!(attribute(span, "messaging.kafka.offset").is_some());
        assert!(attribute(span, "messaging.kafka.message.key").is_some());
    }
    assert_eq!(text(&send, "messaging.operation.type"), "send");
    assert_eq!(text(&process, "messaging.operation.type"), "process");
    assert_eq!(
        text(&process, "messaging.consumer.group.name"),
        format!("traced{}", corner.suffix)
    );
    let handler = spans.iter().find(|span| {
        span.name == "handler" && span.span_context.trace_id() == send.span_context.trace_id()
    });
    assert!(
        handler.is_some(),
        "the handler's span is in the producer's trace"
    );

    // Without an incoming trace context: a trace of its own, the correlation id still on it.
    let alone = named(&format!("process {topic}"), untraced.event_id());
    assert_eq!(alone.parent_span_id, SpanId::INVALID);
    assert_ne!(alone.span_context.trace_id(), send.span_context.trace_id());
    assert_eq!(
        text(&alone, "correlation_id"),
        untraced_correlation.to_string()
    );
    let garbled = named(&format!("process {topic}"), garbled.event_id());
    assert_eq!(garbled.parent_span_id, SpanId::INVALID);
    assert_ne!(
        garbled.span_context.trace_id(),
        send.span_context.trace_id()
    );
}
