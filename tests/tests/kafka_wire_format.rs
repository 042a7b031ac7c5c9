//! The binary wire format through Apache Kafka: a producer writes a domain's events as binary
//! records (`content-type: application/vnd.kafka-events.rkyv`) beside JSON ones on the same
//! topic and the typed consumer reads both alike, with every header, the lean set or none;
//! events with personal data stay JSON; a corrupt binary record and an unknown content type go
//! to the dead-letter topic.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use event_core::codec::{HeaderSet, WireFormat, BINARY_CONTENT_TYPE, CONTENT_TYPE};
use event_domains::{CombatEvent, SocialEvent};
use event_kafka::Polled;
use kafka_events_tests::hostile::RawProducer;
use kafka_events_tests::kafka::{
    assert_round_trip, consume, fresh, own_examples, send_all, Isolated, LIMIT,
};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{BorrowedMessage, Headers, Message};

/// Reads `count` records of `topic` in a raw consumer of its own (group `group`), handing
/// each to `read`.
fn read_raw(
    corner: &Isolated,
    topic: &str,
    group: &str,
    count: usize,
    mut read: impl FnMut(&BorrowedMessage<'_>),
) {
    let consumer: BaseConsumer = corner
        .config
        .rdkafka_config()
        .set("group.id", format!("{group}{}", corner.suffix))
        .set("auto.offset.reset", "earliest")
        .create()
        .expect("raw consumer");
    consumer
        .subscribe(&[corner.topic(topic).as_str()])
        .expect("subscribe");
    let (mut seen, started) = (0, Instant::now());
    while seen < count && started.elapsed() < LIMIT {
        let Some(Ok(message)) = consumer.poll(Duration::from_millis(200)) else {
            continue;
        };
        seen += 1;
        read(&message);
    }
    assert_eq!(seen, count, "records of {topic} read before the limit");
}

/// The content type of every record of `topic`, by event type (reads `count` records).
fn content_types(corner: &Isolated, topic: &str, count: usize) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    read_raw(corner, topic, "raw-content-types", count, |message| {
        let header = |name: &str| {
            message
                .headers()
                .and_then(|headers| headers.iter().find(|h| h.key == name))
                .and_then(|h| h.value)
                .map(|value| String::from_utf8_lossy(value).into_owned())
                .unwrap_or_default()
        };
        found
            .entry(header("event_type"))
            .or_default()
            .push(header("content-type"));
    });
    found
}

/// The header names of every record of `topic`, in the order read (reads `count` records).
fn header_names(corner: &Isolated, topic: &str, count: usize) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    read_raw(corner, topic, "raw-header-names", count, |message| {
        let names = message.headers().map_or_else(Vec::new, |headers| {
            headers.iter().map(|h| h.key.to_owned()).collect()
        });
        found.push(names);
    });
    found
}

#[test]
fn binary_and_json_records_on_one_topic_are_read_alike() {
    let corner = Isolated::new("wire-mixed");
    // Lean headers: a binary record still announces its format, a JSON one has no
    // `content-type` at all.
    let binary = corner
        .producer()
        .with_domain_wire_format("combat", WireFormat::Binary)
        .with_header_set(HeaderSet::Lean);
    let json = corner.producer();
    let lean_json = corner.producer().with_header_set(HeaderSet::Lean);
    let in_binary = fresh(own_examples::<CombatEvent>());
    let in_json = fresh(own_examples::<CombatEvent>());
    let in_lean_json = fresh(own_examples::<CombatEvent>());
    send_all(&binary, &in_binary);
    send_all(&json, &in_json);
    send_all(&lean_json, &in_lean_json);
    let sent = [in_binary.clone(), in_json.clone(), in_lean_json].concat();
    let seen = consume(&corner.consumer::<CombatEvent>("mixed"), sent.len());
    assert_round_trip(&sent, &seen);

    let types = content_types(&corner, "game.combat.events", sent.len());
    assert_eq!(types.len(), in_binary.len(), "every combat event type");
    for (event_type, found) in types {
        let mut found = found;
        found.sort();
        assert_eq!(
            found,
            ["", CONTENT_TYPE, BINARY_CONTENT_TYPE],
            "{event_type}: a lean JSON record, a JSON one, a binary one"
        );
    }
}

#[test]
fn headerless_json_records_are_dispatched_on_the_envelopes_event_type() {
    let corner = Isolated::new("wire-headerless");
    // No header on a JSON record; a binary one keeps the lean set, its value names its event
    // by a hash only.
    let json = corner.producer().with_header_set(HeaderSet::None);
    let binary = corner
        .producer()
        .with_domain_wire_format("combat", WireFormat::Binary)
        .with_header_set(HeaderSet::None);
    let in_json = fresh(own_examples::<CombatEvent>());
    let in_binary = fresh(own_examples::<CombatEvent>());
    send_all(&json, &in_json);
    send_all(&binary, &in_binary);
    let sent = [in_json.clone(), in_binary.clone()].concat();
    let seen = consume(&corner.consumer::<CombatEvent>("headerless"), sent.len());
    assert_round_trip(&sent, &seen);

    let mut names = header_names(&corner, "game.combat.events", sent.len());
    names.sort();
    let mut expected = vec![Vec::<String>::new(); in_json.len()];
    expected.extend(vec![
        vec!["event_type".to_owned(), "content-type".to_owned()];
        in_binary.len()
    ]);
    assert_eq!(names, expected, "no header on JSON, the lean set on binary");
}

#[test]
fn events_with_personal_data_stay_json_in_a_binary_producer() {
    let corner = Isolated::new("wire-personal");
    let producer = corner.producer().with_wire_format(WireFormat::Binary);
    let events = fresh(own_examples::<SocialEvent>());
    send_all(&producer, &events);
    let seen = consume(&corner.consumer::<SocialEvent>("personal"), events.len());
    assert_round_trip(&events, &seen);
    let types = content_types(&corner, "game.social.events", events.len());
    for (event_type, found) in &types {
        // social.chat.message_sent has a personal field: its value is sealed inside the JSON.
        let expected = if event_type == "social.chat.message_sent" {
            CONTENT_TYPE
        } else {
            BINARY_CONTENT_TYPE
        };
        assert_eq!(found, &[expected], "{event_type}");
    }
    assert!(types.contains_key("social.chat.message_sent"));
}

#[test]
fn a_corrupt_binary_record_and_an_unknown_content_type_are_dead_lettered() {
    let corner = Isolated::new("wire-hostile");
    let raw = RawProducer::new(&corner.config);
    let topic = corner.topic("game.combat.events");
    let attack = b"combat.player.attack".as_slice();
    raw.send(
        &topic,
        b"k",
        &[0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3],
        &[
            (b"event_type", Some(attack)),
            (b"content-type", Some(BINARY_CONTENT_TYPE.as_bytes())),
        ],
    );
    raw.send(
        &topic,
        b"k",
        b"a,b,c",
        &[
            (b"event_type", Some(attack)),
            (b"content-type", Some(b"text/csv")),
        ],
    );
    let seen = consume(&corner.consumer::<CombatEvent>("hostile"), 2);
    assert!(seen.handled.is_empty());
    let kinds: Vec<&str> = seen
        .dead_letters
        .iter()
        .filter_map(|polled| match polled {
            Polled::DeadLettered { reason, .. } => Some(reason.kind()),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, ["binary", "unsupported_content_type"]);
}
