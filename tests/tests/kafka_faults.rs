//! Hostile records and failing handlers against Apache Kafka: header names no client should
//! write, a dead letter larger than its topic takes, handlers that panic or keep failing, a
//! dead-letter topic that does not exist, and a producer dropped with records in flight.
//! Each is read, dead-lettered or retried with a bound: never a panic, a skip or a loop.

use std::time::{Duration, Instant};

use event_core::catalog::{example_envelope, Example};
use event_core::codec::DomainEvents;
use event_core::KafkaEvent;
use event_domains::combat::PlayerAttack;
use event_domains::CombatEvent;
use event_kafka::{
    provision, record_headers, with_dead_letter_topics, with_topic_suffix, ConsumeError,
    DeadLetterReason, EventConsumer, HeaderError, KafkaConfig, Polled, ProduceError, RetryPolicy,
    DEAD_LETTER_SUFFIX, ERROR_KIND_HEADER, LEFT_OUT_HEADER, ORIGINAL_VALUE_SIZE_HEADER,
};
use event_tools::export::topic_configs;
use kafka_events_tests::broker::Broker;
use kafka_events_tests::hostile::RawProducer;
use kafka_events_tests::kafka::{
    attack_in_new_session, consume, fresh_attack, handled_ids, key_of, send_all, set_topic_setting,
    single_broker, Busy, Isolated, LIMIT,
};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use uuid::Uuid;

/// A header as written: name and value bytes.
type RawHeader<'a> = (&'a [u8], Option<&'a [u8]>);

/// An attack's JSON with a fresh id, as another client would write it.
fn attack_value() -> Vec<u8> {
    example_envelope(PlayerAttack::example())
        .with_event_id(Uuid::new_v4())
        .to_json()
        .expect("example encodes")
}

/// Every record of `topic` (read from the start until `count` arrived), with its headers as
/// [`record_headers`] reads them, its key and value.
type Letter = (
    Result<Vec<(Vec<u8>, Option<Vec<u8>>)>, HeaderError>,
    Option<Vec<u8>>,
    Vec<u8>,
);

fn read_topic(config: &KafkaConfig, topic: &str, count: usize) -> Vec<Letter> {
    let reader: BaseConsumer = config
        .rdkafka_config()
        .set("group.id", format!("reader-{}", Uuid::new_v4()))
        .set("auto.offset.reset", "earliest")
        .create()
        .expect("reader");
    reader.subscribe(&[topic]).expect("subscribe");
    let started = Instant::now();
    let mut letters = Vec::new();
    while letters.len() < count && started.elapsed() < LIMIT {
        if let Some(Ok(message)) = reader.poll(Duration::from_millis(200)) {
            let headers = record_headers(&message).map(|headers| {
                headers
                    .iter()
                    .map(|h| (h.name.to_vec(), h.value.map(<[u8]>::to_vec)))
                    .collect()
            });
            letters.push((
                headers,
                message.key().map(<[u8]>::to_vec),
                message.payload().unwrap_or_default().to_vec(),
            ));
        }
    }
    letters
}

fn header<'a>(letter: &'a Letter, name: &str) -> Option<&'a str> {
    let headers = letter.0.as_ref().ok()?;
    headers
        .iter()
        .rev()
        .find(|(key, _)| key == name.as_bytes())
        .and_then(|(_, value)| std::str::from_utf8(value.as_deref()?).ok())
}

#[test]
fn hostile_header_names_are_dead_lettered_and_kept_byte_for_byte() {
    let corner = Isolated::new("hostile-headers");
    let raw = RawProducer::new(&corner.config);
    let topic = corner.topic(PlayerAttack::TOPIC);
    let key = key_of(&fresh_attack()).expect("attacks have a key");
    let attack = PlayerAttack::EVENT_TYPE.as_bytes();
    let hostile: [&[RawHeader]; 3] = [
        // A name that is not UTF-8 (rdkafka's iterator panics on it).
        &[(b"\xff\xfe", Some(b"x")), (b"event_type", Some(attack))],
        // A name with a NUL byte, which the C API would hand out as `event_type`.
        &[(b"event_type\0evil", Some(attack))],
        // Two event types.
        &[
            (b"event_type", Some(attack)),
            (b"event_type", Some(b"combat.player.dance")),
        ],
    ];
    for headers in hostile {
        raw.send(&topic, &key, &attack_value(), headers);
    }
    let last = fresh_attack();
    send_all(&corner.producer(), std::slice::from_ref(&last));

    let seen = consume(&corner.consumer::<CombatEvent>("hostile"), 4);
    assert_eq!(
        handled_ids(&seen),
        vec![last.event_id()],
        "the valid event after them; dead letters: {:?}",
        seen.dead_letters
    );
    let reasons: Vec<&DeadLetterReason> = seen
        .dead_letters
        .iter()
        .map(|polled| match polled {
            Polled::DeadLettered { reason, .. } => reason,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(
        matches!(
            reasons.as_slice(),
            [
                DeadLetterReason::Headers(HeaderError::NameNotUtf8 {
                    index: 0,
                    name_len: 2
                }),
                DeadLetterReason::Headers(HeaderError::NameWithNul { index: 0 }),
                DeadLetterReason::Headers(HeaderError::RepeatedEventType { count: 2 }),
            ]
        ),
        "{reasons:?}"
    );

    let letters = read_topic(
        &corner.config,
        &corner.dead_letter_topic(PlayerAttack::TOPIC),
        3,
    );
    assert_eq!(letters.len(), 3);
    let first = letters[0]
        .0
        .as_ref()
        .expect("a non-UTF-8 name is readable as bytes");
    assert_eq!(first[0].0, b"\xff\xfe", "the original name, byte for byte");
    assert_eq!(
        header(&letters[0], ERROR_KIND_HEADER),
        Some("unreadable_headers")
    );
    // The NUL name came through whole: read back, it is still a name with a NUL byte (a
    // copy cut at the NUL would read as a plain `event_type`).
    assert_eq!(letters[1].0, Err(HeaderError::NameWithNul { index: 0 }));
    for letter in &letters {
        assert_eq!(letter.1.as_deref(), Some(key.as_slice()), "key kept");
    }
}

#[test]
fn a_dead_letter_too_large_for_its_topic_becomes_a_reference_record() {
    // The dead-letter topic takes less than the topic it serves (a cluster's default, say).
    let limit = 20_000;
    let mut corner = Isolated::unprovisioned(
        KafkaConfig::new(Broker::shared().bootstrap()),
        "too-large-dead-letter",
    );
    for config in &mut corner.topics {
        if config.topic.ends_with(DEAD_LETTER_SUFFIX) {
            set_topic_setting(
                std::slice::from_mut(config),
                "max.message.bytes",
                &limit.to_string(),
            );
        }
    }
    corner.provision();
    let raw = RawProducer::new(&corner.config);
    let topic = corner.topic(PlayerAttack::TOPIC);
    let key = key_of(&fresh_attack()).expect("attacks have a key");
    // Not JSON, random (so compression cannot shrink it) and larger than the limit.
    let poison: Vec<u8> = std::iter::repeat_with(|| *Uuid::new_v4().as_bytes())
        .flatten()
        .take(limit * 3 / 2)
        .collect();
    let attack = PlayerAttack::EVENT_TYPE.as_bytes();
    raw.send(&topic, &key, &poison, &[(b"event_type", Some(attack))]);
    let last = fresh_attack();
    send_all(&corner.producer(), std::slice::from_ref(&last));

    let seen = consume(&corner.consumer::<CombatEvent>("too-large"), 2);
    assert_eq!(
        handled_ids(&seen),
        vec![last.event_id()],
        "the partition went on"
    );
    assert!(
        matches!(
            seen.dead_letters.as_slice(),
            [Polled::DeadLettered { reference_only: true, reason, .. }] if reason.kind() == "malformed"
        ),
        "{:?}",
        seen.dead_letters
    );
    let letters = read_topic(
        &corner.config,
        &corner.dead_letter_topic(PlayerAttack::TOPIC),
        1,
    );
    let letter = &letters[0];
    assert!(letter.2.is_empty(), "the value is left out");
    assert_eq!(header(letter, ERROR_KIND_HEADER), Some("malformed"));
    let size = poison.len().to_string();
    assert_eq!(
        header(letter, ORIGINAL_VALUE_SIZE_HEADER),
        Some(size.as_str())
    );
    let left_out = header(letter, LEFT_OUT_HEADER).expect("says why");
    assert!(left_out.contains("refused"), "{left_out}");
}

#[test]
fn a_panicking_handler_is_retried_and_a_failing_one_is_dead_lettered_after_its_bound() {
    let corner = Isolated::new("handler-failures");
    let events: Vec<CombatEvent> = (0..4).map(|_| fresh_attack()).collect();
    for event in &events {
        send_all(&corner.producer(), std::slice::from_ref(event));
    }
    let ids: Vec<Uuid> = events.iter().map(DomainEvents::event_id).collect();
    let policy = RetryPolicy {
        first_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        dead_letter_after: Some(3),
    };
    let options = corner.consumer_options("handlers").retry(policy);
    let consumer = EventConsumer::<CombatEvent>::new(&corner.config, options).expect("consumer");

    // ids[1] panics once, ids[2] fails every time.
    let mut handled = Vec::new();
    let mut outcomes = Vec::new();
    let mut panicked = false;
    let started = Instant::now();
    while handled.len() < 3 && started.elapsed() < LIMIT {
        let polled = consumer.poll(Duration::from_millis(100), |received| {
            let id = received.event.event_id();
            if id == ids[1] && !panicked {
                panicked = true;
                panic!("the handler's own bug");
            }
            if id == ids[2] {
                return Err(Busy);
            }
            handled.push(id);
            Ok(())
        });
        match polled {
            Ok(Polled::Idle) | Ok(Polled::Handled { .. }) => {}
            Ok(Polled::DeadLettered { reason, .. }) => outcomes.push(format!("{reason}")),
            Err(ConsumeError::HandlerPanicked {
                message, attempt, ..
            }) => outcomes.push(format!("panic {attempt}: {message}")),
            Err(ConsumeError::Handler {
                attempt,
                source: Busy,
                ..
            }) => outcomes.push(format!("error {attempt}")),
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(
        handled,
        [ids[0], ids[1], ids[3]],
        "in order, nothing skipped"
    );
    assert_eq!(
        outcomes,
        [
            "panic 1: the handler's own bug",
            "error 1",
            "error 2",
            "the handler failed 3 times, last: scoreboard busy"
        ]
    );
    let letters = read_topic(
        &corner.config,
        &corner.dead_letter_topic(PlayerAttack::TOPIC),
        1,
    );
    assert_eq!(
        header(&letters[0], ERROR_KIND_HEADER),
        Some("handler_failed")
    );
}

#[test]
fn a_missing_dead_letter_topic_is_reported_at_once_and_a_custom_suffix_is_provisioned() {
    let corner = Isolated::new("missing-dead-letters");
    let suffix = ".errors";
    let raw = RawProducer::new(&corner.config);
    let producer = corner.producer();
    let partition_of = |event: &CombatEvent| {
        producer
            .enqueue_event(event)
            .and_then(|pending| pending.wait())
            .expect("delivered")
            .partition
    };
    // An attack on the key the poison record will have, before it: its partition.
    let probe = fresh_attack();
    let poisoned_partition = partition_of(&probe);
    let topic = corner.topic(PlayerAttack::TOPIC);
    raw.send(&topic, &key_of(&probe).expect("key"), b"not json", &[]);
    // Attacks on other sessions: those on other partitions go on while the poisoned one waits
    // for its dead-letter topic; those behind the poison record wait with it.
    let others: Vec<CombatEvent> = (0..8).map(|_| attack_in_new_session()).collect();
    let elsewhere = others
        .iter()
        .filter(|event| partition_of(event) != poisoned_partition)
        .count();
    let before_the_poison_or_elsewhere = 1 + elsewhere;

    let options = corner
        .consumer_options("missing")
        .dead_letter_suffix(suffix)
        .retry(RetryPolicy {
            first_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(200),
            dead_letter_after: Some(3),
        });
    let consumer = EventConsumer::<CombatEvent>::new(&corner.config, options).expect("consumer");
    let mut handled = 0;
    let mut missing = 0;
    let started = Instant::now();
    while (handled < before_the_poison_or_elsewhere || missing < 2) && started.elapsed() < LIMIT {
        match consumer.poll(Duration::from_millis(100), |_| Ok::<(), Busy>(())) {
            Ok(Polled::Handled { .. }) => handled += 1,
            Ok(Polled::Idle) => {}
            Err(ConsumeError::DeadLetter { source, .. }) => {
                assert!(
                    matches!(*source, ProduceError::MissingTopic { ref topic } if topic.ends_with(".errors")),
                    "{source}"
                );
                missing += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        handled, before_the_poison_or_elsewhere,
        "the other partitions went on, the poisoned one waited"
    );
    assert!(missing >= 2, "reported at once and retried with a backoff");

    // Provisioned with the consumer's suffix, the dead-letter topic takes the record.
    let topics = with_dead_letter_topics(
        with_topic_suffix(
            topic_configs(event_domains::catalog().events()),
            &corner.suffix,
        ),
        suffix,
    );
    provision(&corner.config, &topics, &single_broker()).expect("provision");
    let started = Instant::now();
    let mut written = None;
    while (written.is_none() || handled < 1 + others.len()) && started.elapsed() < LIMIT {
        match consumer.poll(Duration::from_millis(100), |_| Ok::<(), Busy>(())) {
            Ok(Polled::DeadLettered {
                dead_letter_topic, ..
            }) => written = Some(dead_letter_topic),
            Ok(Polled::Handled { .. }) => handled += 1,
            Ok(Polled::Idle) | Err(ConsumeError::DeadLetter { .. }) => {}
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(written, Some(format!("{topic}{suffix}")));
    assert_eq!(
        handled,
        1 + others.len(),
        "the poisoned partition went on after it"
    );
}

#[test]
fn dropping_a_producer_delivers_what_it_had_in_flight() {
    let corner = Isolated::new("drop-in-flight");
    let producer = corner.producer();
    let events: Vec<CombatEvent> = (0..500).map(|_| attack_in_new_session()).collect();
    for event in &events {
        // The confirmations are not awaited: only the drop below delivers them.
        drop(producer.enqueue_event(event).expect("enqueued"));
    }
    drop(producer);
    let seen = consume(&corner.consumer::<CombatEvent>("dropped"), events.len());
    let mut sent: Vec<Uuid> = events.iter().map(DomainEvents::event_id).collect();
    let mut got = handled_ids(&seen);
    sent.sort();
    got.sort();
    assert_eq!(got, sent, "every record enqueued before the drop arrived");
}
