//! event-kafka against a running Kafka-protocol broker (tansu, started by the test on a free
//! port): provisioning, a round trip of every catalog event, dead letters, at-least-once
//! commits and a broker restart.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use event_core::codec::{DomainEvents, EVENT_TYPE_HEADER};
use event_core::topic::TopicConfig;
use event_core::KafkaEvent;
use event_domains::catalog::{
    example_envelope, CombatEvent, EconomyEvent, Example, SocialEvent, SystemEvent,
};
use event_domains::combat::PlayerAttack;
use event_domains::export::topic_configs;
use event_kafka::{
    provision, with_dead_letter_topics, ConsumeError, ConsumerOptions, Drift, EventConsumer,
    EventProducer, KafkaConfig, PendingDelivery, Polled, ProduceError, ProvisionOptions,
    ProvisionReport, Received, TopicStatus,
};
use kafka_events_tests::broker::{Broker, Storage};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use uuid::Uuid;

const LIMIT: Duration = Duration::from_secs(90);

fn start(storage: Storage) -> Broker {
    Broker::start(storage).unwrap_or_else(|error| panic!("{error}"))
}

/// Single broker: replication factor 1.
fn single_broker() -> ProvisionOptions {
    ProvisionOptions {
        replication_factor: Some(1),
        ..ProvisionOptions::default()
    }
}

fn catalog_topics() -> Vec<TopicConfig> {
    with_dead_letter_topics(topic_configs(&event_domains::catalog::events()))
}

fn provision_catalog(config: &KafkaConfig) -> ProvisionReport {
    provision(config, &catalog_topics(), &single_broker())
        .unwrap_or_else(|error| panic!("provisioning failed: {error}"))
}

/// Consumers join faster with a short session (tansu waits half of it on the first join).
fn consumer_config(broker: &Broker) -> KafkaConfig {
    KafkaConfig::new(broker.bootstrap()).set("session.timeout.ms", "6000")
}

fn consumer<E: DomainEvents>(broker: &Broker, group: &str) -> EventConsumer<E> {
    EventConsumer::new(&consumer_config(broker), ConsumerOptions::new(group))
        .unwrap_or_else(|error| panic!("{error}"))
}

/// `events` with fresh ids.
fn fresh<E: DomainEvents>(events: Vec<E>) -> Vec<E> {
    events
        .into_iter()
        .map(|event| event.with_event_id(Uuid::new_v4()))
        .collect()
}

/// The catalog's attack example with a fresh id (keyed by its session: one partition).
fn fresh_attack() -> CombatEvent {
    CombatEvent::PlayerAttack(
        example_envelope(PlayerAttack::example()).with_event_id(Uuid::new_v4()),
    )
}

/// What a consumer saw: handled events and dead letters, in order.
struct Seen<E> {
    handled: Vec<Received<E>>,
    dead_letters: Vec<Polled>,
}

/// Polls until `count` records were handled or dead-lettered (or the time limit passed).
fn consume<E: DomainEvents>(consumer: &EventConsumer<E>, count: usize) -> Seen<E> {
    let mut seen = Seen {
        handled: Vec::new(),
        dead_letters: Vec::new(),
    };
    let started = Instant::now();
    while seen.handled.len() + seen.dead_letters.len() < count && started.elapsed() < LIMIT {
        let mut received = None;
        match consumer.poll(Duration::from_millis(200), |event| {
            received = Some(event);
            Ok::<(), std::convert::Infallible>(())
        }) {
            Ok(Polled::Handled { .. }) => seen.handled.extend(received),
            Ok(polled @ Polled::DeadLettered { .. }) => seen.dead_letters.push(polled),
            Ok(Polled::Idle) => {}
            Err(error) => eprintln!("poll: {error} (retrying)"),
        }
    }
    seen
}

fn wait_all(pending: Vec<PendingDelivery>) {
    for delivery in pending {
        delivery
            .wait()
            .unwrap_or_else(|error| panic!("delivery: {error}"));
    }
}

fn key_of<E: DomainEvents>(event: &E) -> Option<Vec<u8>> {
    event.to_record().ok().and_then(|record| record.key)
}

/// Every sent event arrived exactly once, equal to what was sent, and the events of each key
/// arrived in the order they were sent.
fn assert_round_trip<E: DomainEvents + PartialEq>(sent: &[E], seen: &Seen<E>) {
    assert!(seen.dead_letters.is_empty(), "{:?}", seen.dead_letters);
    let by_id: HashMap<Uuid, &E> = sent.iter().map(|event| (event.event_id(), event)).collect();
    assert_eq!(
        seen.handled.len(),
        sent.len(),
        "{}: received {} of {} events",
        E::DOMAIN,
        seen.handled.len(),
        sent.len()
    );
    for received in &seen.handled {
        let id = received.event.event_id();
        let original = by_id
            .get(&id)
            .unwrap_or_else(|| panic!("{}: received unknown event {id}", E::DOMAIN));
        assert_eq!(**original, received.event);
        assert_eq!(received.key, key_of(*original));
    }
    let order = |events: Vec<(&Option<Vec<u8>>, Uuid)>| {
        let mut per_key: HashMap<Option<Vec<u8>>, Vec<Uuid>> = HashMap::new();
        for (key, id) in events {
            per_key.entry(key.clone()).or_default().push(id);
        }
        per_key
    };
    let sent_keys: Vec<Option<Vec<u8>>> = sent.iter().map(key_of).collect();
    let sent_order = order(
        sent_keys
            .iter()
            .zip(sent.iter().map(DomainEvents::event_id))
            .collect(),
    );
    let received_order = order(
        seen.handled
            .iter()
            .map(|received| (&received.key, received.event.event_id()))
            .collect(),
    );
    for (key, ids) in &sent_order {
        if key.is_some() {
            assert_eq!(
                Some(ids),
                received_order.get(key),
                "{}: key order",
                E::DOMAIN
            );
        }
    }
}

#[test]
fn provisioning_creates_missing_topics_and_is_idempotent() {
    let broker = start(Storage::Memory);
    let config = KafkaConfig::new(broker.bootstrap());
    let report = provision_catalog(&config);
    assert_eq!(report.topics.len(), 8, "{report}");
    assert!(
        report
            .topics
            .iter()
            .all(|topic| topic.status == TopicStatus::Created),
        "{report}"
    );
    assert!(report.status("game.combat.events.dlq").is_some());

    let again = provision_catalog(&config);
    assert!(
        again
            .topics
            .iter()
            .all(|topic| topic.status == TopicStatus::Unchanged),
        "second run:\n{again}"
    );
}

#[test]
fn provisioning_reports_drift_and_changes_nothing() {
    let broker = start(Storage::Memory);
    let config = KafkaConfig::new(broker.bootstrap());
    let mut combat = topic_configs(&event_domains::catalog::events())
        .into_iter()
        .find(|topic| topic.topic == "game.combat.events")
        .expect("the combat topic");
    let expected_partitions = combat.partitions;
    combat.partitions = 2;
    for (key, value) in &mut combat.config {
        if key == "retention.ms" {
            *value = "3600000".to_owned();
        }
    }
    provision(&config, &[combat], &single_broker()).expect("an operator's own topic");

    for run in 0..2 {
        let report = provision_catalog(&config);
        assert!(report.has_drift());
        let Some(TopicStatus::Drifted(drifts)) = report.status("game.combat.events") else {
            panic!("run {run}: no drift reported:\n{report}");
        };
        assert!(
            drifts.contains(&Drift {
                setting: "partitions".into(),
                expected: expected_partitions.to_string(),
                actual: Some("2".into()),
            }),
            "{report}"
        );
        assert!(
            drifts.contains(&Drift {
                setting: "retention.ms".into(),
                expected: "604800000".into(),
                actual: Some("3600000".into()),
            }),
            "{report}"
        );
        let expected_status = if run == 0 {
            TopicStatus::Created
        } else {
            TopicStatus::Unchanged
        };
        assert_eq!(
            report.status("game.economy.events"),
            Some(&expected_status),
            "{report}"
        );
    }
}

#[test]
fn every_catalog_event_round_trips_in_key_order() {
    let broker = start(Storage::Memory);
    let config = KafkaConfig::new(broker.bootstrap());
    provision_catalog(&config);
    let producer = EventProducer::new(&config).expect("producer");

    const ROUNDS: usize = 4;
    let mut combat = Vec::new();
    let mut economy = Vec::new();
    let mut social = Vec::new();
    let mut system = Vec::new();
    for _ in 0..ROUNDS {
        combat.extend(fresh(CombatEvent::examples()));
        economy.extend(fresh(EconomyEvent::examples()));
        social.extend(fresh(SocialEvent::examples()));
        system.extend(fresh(SystemEvent::examples()));
    }
    // One mixed stream, the domains interleaved, every record in flight at once.
    let mut pending = Vec::new();
    let longest = combat.len().max(economy.len()).max(social.len());
    for i in 0..longest {
        let send = |result: Result<PendingDelivery, ProduceError>| {
            result.unwrap_or_else(|error| panic!("{error}"))
        };
        pending.extend(combat.get(i).map(|e| send(producer.enqueue_event(e))));
        pending.extend(economy.get(i).map(|e| send(producer.enqueue_event(e))));
        pending.extend(social.get(i).map(|e| send(producer.enqueue_event(e))));
        pending.extend(system.get(i).map(|e| send(producer.enqueue_event(e))));
    }
    // An invalid event is refused before it is sent (the consumers below would see it).
    let mut attack = PlayerAttack::example();
    attack.weapon_id.clear();
    let invalid = producer.enqueue(&example_envelope(attack).with_event_id(Uuid::new_v4()));
    assert!(
        matches!(invalid, Err(ProduceError::Invalid { event_type, .. }) if event_type == PlayerAttack::EVENT_TYPE)
    );
    wait_all(pending);

    assert_round_trip(
        &combat,
        &consume(&consumer(&broker, "round-trip"), combat.len()),
    );
    assert_round_trip(
        &economy,
        &consume(&consumer(&broker, "round-trip"), economy.len()),
    );
    assert_round_trip(
        &social,
        &consume(&consumer(&broker, "round-trip"), social.len()),
    );
    assert_round_trip(
        &system,
        &consume(&consumer(&broker, "round-trip"), system.len()),
    );
}

/// A record written by another client, as the topic receives it.
struct RawRecord {
    event_type_header: Option<&'static str>,
    value: Vec<u8>,
}

fn attack_json(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let bytes = example_envelope(PlayerAttack::example())
        .with_event_id(Uuid::new_v4())
        .to_json()
        .expect("example encodes");
    let mut value: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    edit(&mut value);
    serde_json::to_vec(&value).expect("json")
}

#[test]
fn poison_records_go_to_the_dead_letter_topic_and_valid_events_still_arrive() {
    let broker = start(Storage::Memory);
    let config = KafkaConfig::new(broker.bootstrap());
    provision_catalog(&config);
    let producer = EventProducer::new(&config).expect("producer");
    let raw: FutureProducer = config_for_raw(&broker).create().expect("raw producer");
    let key = example_envelope(PlayerAttack::example())
        .to_record()
        .expect("record")
        .key
        .expect("attacks have a key");

    let poison = [
        (
            "malformed",
            RawRecord {
                event_type_header: Some(PlayerAttack::EVENT_TYPE),
                value: b"\x00\xffnot json at all".to_vec(),
            },
        ),
        (
            "unknown_event_type",
            RawRecord {
                event_type_header: Some("combat.player.dance"),
                value: attack_json(|v| v["event_type"] = "combat.player.dance".into()),
            },
        ),
        (
            "invalid",
            RawRecord {
                event_type_header: Some(PlayerAttack::EVENT_TYPE),
                value: attack_json(|v| v["data"]["weapon_id"] = "".into()),
            },
        ),
        (
            "incompatible_version",
            RawRecord {
                event_type_header: Some(PlayerAttack::EVENT_TYPE),
                value: attack_json(|v| v["version"] = "2.0.0".into()),
            },
        ),
        (
            "missing_event_type",
            RawRecord {
                event_type_header: None,
                value: br#"{"hello": "world"}"#.to_vec(),
            },
        ),
    ];
    // valid, poison, valid, poison … on one key (one partition), each confirmed before the
    // next, so the topic holds them in this order.
    let mut valid = Vec::new();
    for (_, record) in &poison {
        let event = fresh_attack();
        wait_all(vec![producer.enqueue_event(&event).expect("valid")]);
        valid.push(event);
        let mut headers = OwnedHeaders::new();
        if let Some(name) = record.event_type_header {
            headers = headers.insert(rdkafka::message::Header {
                key: EVENT_TYPE_HEADER,
                value: Some(name),
            });
        }
        let future = raw.send_result(
            FutureRecord::to(PlayerAttack::TOPIC)
                .key(&key)
                .payload(&record.value)
                .headers(headers),
        );
        let delivered = futures_executor::block_on(future.expect("enqueued"));
        delivered.expect("not canceled").expect("delivered");
    }
    let last = fresh_attack();
    wait_all(vec![producer.enqueue_event(&last).expect("valid")]);
    valid.push(last);

    let seen = consume(&consumer::<CombatEvent>(&broker, "poison"), 11);
    let handled: Vec<Uuid> = seen.handled.iter().map(|r| r.event.event_id()).collect();
    let sent: Vec<Uuid> = valid.iter().map(DomainEvents::event_id).collect();
    assert_eq!(handled, sent, "every valid event, in order");
    let kinds: Vec<&str> = seen
        .dead_letters
        .iter()
        .map(|polled| match polled {
            Polled::DeadLettered {
                reason,
                dead_letter_topic,
                ..
            } => {
                assert_eq!(dead_letter_topic, "game.combat.events.dlq");
                reason.kind()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    let expected: Vec<&str> = poison.iter().map(|(kind, _)| *kind).collect();
    assert_eq!(kinds, expected);

    // The dead-letter topic holds the original bytes, key and headers, and says why.
    let reader: BaseConsumer = consumer_config(&broker)
        .rdkafka_config()
        .set("group.id", "dead-letter-reader")
        .set("auto.offset.reset", "earliest")
        .create()
        .expect("reader");
    reader
        .subscribe(&["game.combat.events.dlq"])
        .expect("subscribe");
    let started = Instant::now();
    let mut letters = Vec::new();
    while letters.len() < poison.len() && started.elapsed() < LIMIT {
        if let Some(Ok(message)) = reader.poll(Duration::from_millis(200)) {
            let headers: HashMap<String, String> = message
                .headers()
                .map(|headers| {
                    headers
                        .iter()
                        .map(|h| {
                            (
                                h.key.to_owned(),
                                String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            letters.push((
                message.key().map(<[u8]>::to_vec),
                message.payload().unwrap_or_default().to_vec(),
                headers,
            ));
        }
    }
    assert_eq!(letters.len(), poison.len(), "dead letters read back");
    for ((kind, record), (letter_key, value, headers)) in poison.iter().zip(&letters) {
        assert_eq!(value, &record.value, "{kind}: original bytes");
        assert_eq!(letter_key.as_deref(), Some(key.as_slice()), "{kind}: key");
        assert_eq!(headers[event_kafka::ERROR_KIND_HEADER], *kind);
        assert_eq!(
            headers[event_kafka::SOURCE_TOPIC_HEADER],
            "game.combat.events"
        );
        assert_eq!(headers[event_kafka::CONSUMER_GROUP_HEADER], "poison");
        assert!(!headers[event_kafka::ERROR_MESSAGE_HEADER].is_empty());
        assert_eq!(
            headers.get(EVENT_TYPE_HEADER).map(String::as_str),
            record.event_type_header,
            "{kind}: original headers kept"
        );
    }
    let invalid = &letters[2].2;
    assert_eq!(
        invalid[event_kafka::ERROR_POINTER_HEADER],
        "/data/weapon_id"
    );
}

/// A raw client's configuration (for writing records our producer would refuse).
fn config_for_raw(broker: &Broker) -> rdkafka::ClientConfig {
    KafkaConfig::new(broker.bootstrap()).rdkafka_config()
}

#[test]
fn offsets_are_committed_only_after_the_handler_succeeded() {
    let broker = start(Storage::Memory);
    let config = KafkaConfig::new(broker.bootstrap());
    provision_catalog(&config);
    let producer = EventProducer::new(&config).expect("producer");
    let events: Vec<CombatEvent> = (0..10).map(|_| fresh_attack()).collect();
    for event in &events {
        wait_all(vec![producer.enqueue_event(event).expect("valid")]);
    }
    let ids: Vec<Uuid> = events.iter().map(DomainEvents::event_id).collect();

    #[derive(Debug)]
    struct Busy;
    impl std::fmt::Display for Busy {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("scoreboard busy")
        }
    }

    let first = consumer::<CombatEvent>(&broker, "scoreboard");
    let mut handled = Vec::new();
    let mut failures = 0;
    let started = Instant::now();
    // Fails ids[3] once (it succeeds on redelivery) and ids[6] every time.
    while failures < 3 && started.elapsed() < LIMIT {
        let polled = first.poll(Duration::from_millis(200), |received| {
            let id = received.event.event_id();
            if id == ids[6] || (id == ids[3] && failures == 0) {
                return Err(Busy);
            }
            handled.push(id);
            Ok(())
        });
        match polled {
            Err(ConsumeError::Handler { source: Busy, .. }) => failures += 1,
            Err(error) => eprintln!("poll: {error}"),
            Ok(_) => {}
        }
        if failures >= 3 {
            break;
        }
    }
    assert_eq!(
        handled,
        ids[..6],
        "ids[3] delivered again after its failure"
    );
    assert!(failures >= 2, "ids[6] failed and was retried");
    first.commit().expect("commit");
    drop(first);

    // The group resumes at the first event whose handler never succeeded.
    let second = consumer::<CombatEvent>(&broker, "scoreboard");
    let seen = consume(&second, 4);
    let resumed: Vec<Uuid> = seen.handled.iter().map(|r| r.event.event_id()).collect();
    assert_eq!(resumed, ids[6..]);
}

/// What a producer was asked to send, and what the broker confirmed.
#[derive(Default)]
struct Tally {
    sent: Vec<CombatEvent>,
    acknowledged: Vec<Uuid>,
    failed: Vec<String>,
}

/// Enqueues `events` at once, stops and restarts `stop_broker` while they are queued or in
/// flight, then waits for every delivery.
fn send_batch(
    producer: &EventProducer,
    tally: &mut Tally,
    events: Vec<CombatEvent>,
    stop_broker: Option<&mut Broker>,
) {
    let pending: Vec<(Uuid, PendingDelivery)> = events
        .iter()
        .map(|e| (e.event_id(), producer.enqueue_event(e).expect("valid")))
        .collect();
    if let Some(broker) = stop_broker {
        broker.stop();
        std::thread::sleep(Duration::from_secs(2));
        broker
            .restart()
            .unwrap_or_else(|error| panic!("restart: {error}"));
    }
    for (id, delivery) in pending {
        match delivery.wait() {
            Ok(_) => tally.acknowledged.push(id),
            Err(error) => tally.failed.push(error.to_string()),
        }
    }
    tally.sent.extend(events);
}

#[test]
fn acknowledged_events_survive_a_broker_restart() {
    let mut broker = start(Storage::Sqlite);
    let config = KafkaConfig::new(broker.bootstrap()).set("message.timeout.ms", "60000");
    provision_catalog(&config);
    let producer = EventProducer::new(&config).expect("producer");
    let batch = |n: usize| -> Vec<CombatEvent> {
        (0..n)
            .flat_map(|_| fresh(CombatEvent::examples()))
            .collect()
    };
    let mut tally = Tally::default();
    send_batch(&producer, &mut tally, batch(20), None);
    let before = tally.acknowledged.len();
    send_batch(&producer, &mut tally, batch(20), Some(&mut broker));
    send_batch(&producer, &mut tally, batch(20), None);
    let Tally {
        sent,
        acknowledged,
        failed,
    } = tally;
    assert_eq!(before, 240, "all confirmed before the restart: {failed:?}");
    assert!(
        acknowledged.len() >= 480,
        "confirmed after the restart too: {} ({failed:?})",
        acknowledged.len()
    );
    eprintln!(
        "restart: {} sent, {} acknowledged, {} reported as failed",
        sent.len(),
        acknowledged.len(),
        failed.len()
    );

    let seen = consume(
        &consumer::<CombatEvent>(&broker, "after-restart"),
        sent.len(),
    );
    let received: std::collections::HashSet<Uuid> =
        seen.handled.iter().map(|r| r.event.event_id()).collect();
    let sent_ids: std::collections::HashSet<Uuid> =
        sent.iter().map(DomainEvents::event_id).collect();
    let lost: Vec<&Uuid> = acknowledged
        .iter()
        .filter(|id| !received.contains(id))
        .collect();
    assert!(lost.is_empty(), "{} acknowledged events lost", lost.len());
    assert!(received.is_subset(&sent_ids), "only sent events arrive");
}

/// A loopback address where nothing listens.
fn nowhere() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    format!("127.0.0.1:{port}")
}

#[test]
fn an_undeliverable_event_is_a_typed_error_for_the_caller() {
    let config = KafkaConfig::new(nowhere()).set("message.timeout.ms", "1500");
    let producer = EventProducer::new(&config).expect("producer");
    let envelope = example_envelope(PlayerAttack::example());
    let error = producer.send_blocking(&envelope).unwrap_err();
    assert!(
        matches!(&error, ProduceError::Delivery { topic, .. } if topic == "game.combat.events"),
        "{error:?}"
    );
    assert!(error.to_string().contains("delivery failed"), "{error}");
}

#[test]
fn provisioning_an_unreachable_cluster_is_a_typed_error() {
    assert_refused(&KafkaConfig::new(nowhere()));
}

#[test]
fn a_misconfigured_client_names_the_property() {
    let config = KafkaConfig::new("127.0.0.1:9092").set("no.such.property", "1");
    let error = EventProducer::new(&config).err().expect("refused");
    assert!(error.to_string().contains("no.such.property"), "{error}");
}

/// Provisions the catalog with `config`, produces one event and consumes it back.
fn one_event_round_trip(config: &KafkaConfig, group: &str) {
    provision_catalog(config);
    let producer = EventProducer::new(config).expect("producer");
    let event = fresh_attack();
    wait_all(vec![producer.enqueue_event(&event).expect("valid")]);
    let consumer = EventConsumer::<CombatEvent>::new(
        &config.clone().set("session.timeout.ms", "6000"),
        ConsumerOptions::new(group),
    )
    .expect("consumer");
    let seen = consume(&consumer, 1);
    assert_eq!(seen.handled.len(), 1);
    assert_eq!(seen.handled[0].event, event);
}

/// The cluster does not answer a client with `config` within 3 s.
fn assert_refused(config: &KafkaConfig) {
    let quick = ProvisionOptions {
        timeout: Duration::from_secs(3),
        ..single_broker()
    };
    let error = provision(config, &catalog_topics(), &quick).unwrap_err();
    assert!(
        matches!(error, event_kafka::ProvisionError::Metadata(_)),
        "{error:?}"
    );
}

#[test]
fn tls_settings_pass_through_to_the_cluster() {
    let broker = Broker::start_tls(Storage::Memory).unwrap_or_else(|error| panic!("{error}"));
    let config = KafkaConfig::new(broker.bootstrap())
        .set("security.protocol", "SSL")
        .set("ssl.ca.location", broker.certificate().to_string_lossy());
    one_event_round_trip(&config, "over-tls");
    // The same cluster without TLS is unreachable: the settings are what made it work.
    assert_refused(&KafkaConfig::new(broker.bootstrap()));
}

#[test]
fn sasl_scram_settings_pass_through_to_the_cluster() {
    let broker = Broker::start_with_scram_user("combat-service", "s3cret")
        .unwrap_or_else(|error| panic!("{error}"));
    let with_password = |password: &str| {
        KafkaConfig::new(broker.bootstrap())
            .set("security.protocol", "SASL_PLAINTEXT")
            .set("sasl.mechanism", "SCRAM-SHA-512")
            .set("sasl.username", "combat-service")
            .set("sasl.password", password)
    };
    one_event_round_trip(&with_password("s3cret"), "over-sasl");
    // A wrong password, or none, does not get in.
    assert_refused(&with_password("guess"));
    assert_refused(&KafkaConfig::new(broker.bootstrap()));
}
