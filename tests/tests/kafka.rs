//! event-kafka against Apache Kafka (a KRaft broker from Maven Central's jars, started by the
//! tests): provisioning, a round trip of every catalog event, dead letters, at-least-once
//! commits, consumer lag, compression, TLS, SCRAM, and a broker killed with SIGKILL.
//!
//! The tests share one broker (`Broker::shared`) and isolate themselves by topic suffix and
//! consumer group; the kill test owns its broker.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use event_core::catalog::{example_envelope, Example};
use event_core::codec::{DomainEvents, KafkaRecord, EVENT_TYPE_HEADER};
use event_core::KafkaEvent;
use event_domains::combat::PlayerAttack;
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};
use event_kafka::{
    consumer_group_lag, provision, with_topic_suffix, ConsumeError, Drift, EventConsumer,
    EventProducer, KafkaConfig, PendingDelivery, Polled, ProduceError, ProvisionOptions,
    TopicStatus,
};
use event_tools::export::topic_configs;
use kafka_events_tests::broker::{Broker, SCRAM_PASSWORD, SCRAM_USER};
use kafka_events_tests::hostile::producer_default;
use kafka_events_tests::kafka::{
    assert_round_trip, attack_in_new_session, catalog_topics, consume, expected, fresh,
    fresh_attack, handled_ids, own_examples, send_all, single_broker, wait_all, Busy, Isolated,
    LIMIT,
};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use uuid::Uuid;

#[test]
fn provisioning_creates_missing_topics_and_is_idempotent() {
    let broker = Broker::shared();
    let corner = Isolated::unprovisioned(KafkaConfig::new(broker.bootstrap()), "provision");
    let report = corner.provision();
    let catalog_topics = topic_configs(event_domains::catalog().events()).len();
    assert_eq!(report.topics.len(), 2 * catalog_topics, "{report}");
    assert!(
        report
            .topics
            .iter()
            .all(|topic| topic.status == TopicStatus::Created),
        "{report}"
    );
    assert!(report
        .status(&corner.dead_letter_topic("game.combat.events"))
        .is_some());

    let again = corner.provision();
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
    let broker = Broker::shared();
    let suffix = ".t.drift";
    let config = KafkaConfig::new(broker.bootstrap());
    let mut combat = with_topic_suffix(topic_configs(event_domains::catalog().events()), suffix)
        .into_iter()
        .find(|topic| topic.topic.starts_with("game.combat.events"))
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
        let report = provision(&config, &catalog_topics(suffix), &single_broker())
            .unwrap_or_else(|error| panic!("{error}"));
        assert!(report.has_drift());
        let Some(TopicStatus::Drifted(drifts)) = report.status("game.combat.events.t.drift") else {
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
            report.status("game.economy.events.t.drift"),
            Some(&expected_status),
            "{report}"
        );
    }
}

/// Four rounds of every catalog example, the domains interleaved in one stream with every
/// record in flight at once, produced with `config`.
fn round_trip_every_event(corner: &Isolated, config: &KafkaConfig) {
    let producer = corner.producer_with(config);
    const ROUNDS: usize = 4;
    // Each domain publishes its own events; a cross-domain event once, by its own domain.
    let mut by_domain: Vec<Vec<KafkaRecord>> = vec![Vec::new(); 5];
    for _ in 0..ROUNDS {
        by_domain[0].extend(records_of(fresh(own_examples::<CombatEvent>())));
        by_domain[1].extend(records_of(fresh(own_examples::<EconomyEvent>())));
        by_domain[2].extend(records_of(fresh(own_examples::<SocialEvent>())));
        by_domain[3].extend(records_of(fresh(own_examples::<SystemEvent>())));
        by_domain[4].extend(records_of(fresh(own_examples::<PlayerEvent>())));
    }
    // Interleaved, as services of several domains write at once.
    let longest = by_domain.iter().map(Vec::len).max().unwrap_or(0);
    let published: Vec<KafkaRecord> = (0..longest)
        .flat_map(|i| {
            by_domain
                .iter()
                .filter_map(move |records| records.get(i).cloned())
        })
        .collect();
    let pending: Vec<PendingDelivery> = published
        .iter()
        .map(|record| enqueue_decoded(&producer, record))
        .collect();
    // An invalid event is refused before it is sent (the consumers below would see it).
    let mut attack = PlayerAttack::example();
    attack.weapon_id.clear();
    let invalid = producer.enqueue(&example_envelope(attack).with_event_id(Uuid::new_v4()));
    assert!(
        matches!(invalid, Err(ProduceError::Invalid { event_type, .. }) if event_type == PlayerAttack::EVENT_TYPE)
    );
    wait_all(pending);

    // A group per domain, as each domain's service has: each reads the cross-domain topic
    // for itself (one shared group would split its records between the domains).
    fn check<E: DomainEvents + PartialEq>(corner: &Isolated, published: &[KafkaRecord]) {
        let sent = expected::<E>(published);
        let group = format!("round-trip-{}", E::DOMAIN);
        assert_round_trip(&sent, &consume(&corner.consumer::<E>(&group), sent.len()));
    }
    check::<CombatEvent>(corner, &published);
    check::<EconomyEvent>(corner, &published);
    check::<SocialEvent>(corner, &published);
    check::<SystemEvent>(corner, &published);
    check::<PlayerEvent>(corner, &published);
}

/// Sends the event of `record` through the validating producer, as the enum that lists it.
fn enqueue_decoded(producer: &EventProducer, record: &KafkaRecord) -> PendingDelivery {
    fn send<E: DomainEvents>(
        producer: &EventProducer,
        record: &KafkaRecord,
    ) -> Option<PendingDelivery> {
        let event = E::decode_record(record).ok()?;
        Some(
            producer
                .enqueue_event(&event)
                .unwrap_or_else(|error| panic!("{error}")),
        )
    }
    send::<CombatEvent>(producer, record)
        .or_else(|| send::<EconomyEvent>(producer, record))
        .or_else(|| send::<SocialEvent>(producer, record))
        .or_else(|| send::<SystemEvent>(producer, record))
        .or_else(|| send::<PlayerEvent>(producer, record))
        .unwrap_or_else(|| panic!("no enum lists {:?}", record.header("event_type")))
}

/// The records of `events`, in order.
fn records_of<E: DomainEvents>(events: Vec<E>) -> Vec<KafkaRecord> {
    events
        .iter()
        .map(|event| event.to_record().unwrap_or_else(|error| panic!("{error}")))
        .collect()
}

#[test]
fn every_catalog_event_round_trips_in_key_order() {
    let corner = Isolated::new("round-trip");
    round_trip_every_event(&corner, &corner.config);
}

/// Bytes of the `.log` segments of the topics whose name ends in `suffix`.
fn segment_bytes(broker: &Broker, suffix: &str) -> u64 {
    broker.segment_bytes(|topic| topic.ends_with(suffix))
}

#[test]
fn lz4_and_zstd_batches_round_trip_and_take_fewer_bytes() {
    let broker = Broker::shared();
    let mut sizes = HashMap::new();
    for codec in ["none", "lz4", "zstd"] {
        // The catalog's topics store lz4; these keep each batch as the producer sent it.
        let corner = Isolated::unprovisioned(
            KafkaConfig::new(broker.bootstrap()),
            &format!("compression-{codec}"),
        )
        .with_topic_setting("compression.type", "producer");
        corner.provision();
        let config = corner.config.clone().set("compression.type", codec);
        round_trip_every_event(&corner, &config);
        sizes.insert(codec, segment_bytes(broker, &corner.suffix));
    }
    eprintln!("bytes on the broker for 4 rounds of the catalog's events: {sizes:?}");
    assert!(sizes["none"] > 0);
    assert!(sizes["lz4"] < sizes["none"], "{sizes:?}");
    assert!(sizes["zstd"] < sizes["none"], "{sizes:?}");
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

/// A consumer of `topic` with `config` that reads from the start, as a plain client.
fn raw_reader(config: &KafkaConfig, group: &str, topic: &str) -> BaseConsumer {
    let reader: BaseConsumer = config
        .rdkafka_config()
        .set("group.id", group)
        .set("auto.offset.reset", "earliest")
        .create()
        .expect("reader");
    reader.subscribe(&[topic]).expect("subscribe");
    reader
}

#[test]
fn poison_records_go_to_the_dead_letter_topic_and_valid_events_still_arrive() {
    let corner = Isolated::new("poison");
    let producer = corner.producer();
    let raw: FutureProducer = corner
        .config
        .rdkafka_config()
        .set("partitioner", producer_default("partitioner"))
        .create()
        .expect("raw producer");
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
    let topic = corner.topic(PlayerAttack::TOPIC);
    let mut valid = Vec::new();
    for (_, record) in &poison {
        let event = fresh_attack();
        send_all(&producer, std::slice::from_ref(&event));
        valid.push(event);
        let mut headers = OwnedHeaders::new();
        if let Some(name) = record.event_type_header {
            headers = headers.insert(rdkafka::message::Header {
                key: EVENT_TYPE_HEADER,
                value: Some(name),
            });
        }
        let future = raw.send_result(
            FutureRecord::to(&topic)
                .key(&key)
                .payload(&record.value)
                .headers(headers),
        );
        let delivered = futures_executor::block_on(future.expect("enqueued"));
        delivered.expect("not canceled").expect("delivered");
    }
    let last = fresh_attack();
    send_all(&producer, std::slice::from_ref(&last));
    valid.push(last);

    let group = "poison";
    let seen = consume(&corner.consumer::<CombatEvent>(group), 11);
    let sent: Vec<Uuid> = valid.iter().map(DomainEvents::event_id).collect();
    assert_eq!(handled_ids(&seen), sent, "every valid event, in order");
    let dead_letter_topic = corner.dead_letter_topic("game.combat.events");
    let kinds: Vec<&str> = seen
        .dead_letters
        .iter()
        .map(|polled| match polled {
            Polled::DeadLettered {
                reason,
                dead_letter_topic: written_to,
                ..
            } => {
                assert_eq!(written_to, &dead_letter_topic);
                reason.kind()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    let expected: Vec<&str> = poison.iter().map(|(kind, _)| *kind).collect();
    assert_eq!(kinds, expected);

    // The dead-letter topic holds the original bytes, key and headers, and says why.
    let reader = raw_reader(&corner.config, "dead-letter-reader", &dead_letter_topic);
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
        assert_eq!(headers[event_kafka::SOURCE_TOPIC_HEADER], topic);
        assert_eq!(
            headers[event_kafka::CONSUMER_GROUP_HEADER],
            format!("{group}{}", corner.suffix)
        );
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

#[test]
fn offsets_are_committed_only_after_the_handler_succeeded() {
    let corner = Isolated::new("at-least-once");
    let producer = corner.producer();
    let events: Vec<CombatEvent> = (0..10).map(|_| fresh_attack()).collect();
    for event in &events {
        send_all(&producer, std::slice::from_ref(event));
    }
    let ids: Vec<Uuid> = events.iter().map(DomainEvents::event_id).collect();

    let first = corner.consumer::<CombatEvent>("scoreboard");
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
    let second = corner.consumer::<CombatEvent>("scoreboard");
    let seen = consume(&second, 4);
    assert_eq!(handled_ids(&seen), ids[6..]);
}

#[test]
fn consumer_lag_is_what_was_produced_minus_what_was_consumed_per_partition() {
    let corner = Isolated::new("lag");
    let producer = corner.producer();
    const PRODUCED: usize = 60;
    const CONSUMED: usize = 25;
    let events: Vec<CombatEvent> = (0..PRODUCED).map(|_| attack_in_new_session()).collect();
    let mut produced: HashMap<i32, i64> = HashMap::new();
    let pending: Vec<PendingDelivery> = events
        .iter()
        .map(|event| producer.enqueue_event(event).expect("valid"))
        .collect();
    for delivery in pending {
        let delivery = delivery.wait().expect("delivered");
        *produced.entry(delivery.partition).or_default() += 1;
    }
    assert!(produced.len() > 4, "the attacks spread over partitions");

    let consumer = corner.consumer::<CombatEvent>("lag");
    let seen = consume(&consumer, CONSUMED);
    assert_eq!(seen.handled.len(), CONSUMED);
    consumer.commit().expect("commit");
    let mut consumed: HashMap<i32, i64> = HashMap::new();
    for received in &seen.handled {
        *consumed.entry(received.position.partition).or_default() += 1;
    }
    let expected = |partition: i32| {
        produced.get(&partition).copied().unwrap_or(0)
            - consumed.get(&partition).copied().unwrap_or(0)
    };

    // As a member of the group (its assigned partitions: all of them, it is alone) …
    let member_view = consumer.lag(Duration::from_secs(10)).expect("lag");
    // … and as an outsider that does not join it.
    let topic = corner.topic(PlayerAttack::TOPIC);
    let outside_view = consumer_group_lag(
        &corner.config,
        &format!("lag{}", corner.suffix),
        &[&topic],
        Duration::from_secs(10),
    )
    .expect("lag");
    for view in [&member_view, &outside_view] {
        let on_topic: Vec<_> = view.iter().filter(|lag| lag.topic == topic).collect();
        assert_eq!(on_topic.len(), 24, "{view:?}");
        for lag in on_topic {
            assert_eq!(lag.lag, expected(lag.partition), "{lag}");
        }
        let total: i64 = view.iter().map(|lag| lag.lag).sum();
        assert_eq!(total, (PRODUCED - CONSUMED) as i64);
    }
}

/// What a producer was asked to send, and what the broker confirmed.
#[derive(Default)]
struct Tally {
    sent: Vec<CombatEvent>,
    acknowledged: Vec<Uuid>,
    failed: Vec<String>,
}

/// Enqueues `events` at once, kills (SIGKILL) and restarts `broker` while they are queued or
/// in flight, then waits for every delivery.
fn send_batch(
    producer: &EventProducer,
    tally: &mut Tally,
    events: Vec<CombatEvent>,
    kill: Option<&mut Broker>,
) {
    let pending: Vec<(Uuid, PendingDelivery)> = events
        .iter()
        .map(|e| (e.event_id(), producer.enqueue_event(e).expect("valid")))
        .collect();
    if let Some(broker) = kill {
        broker.kill();
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
fn acknowledged_events_survive_a_broker_killed_with_sigkill() {
    let mut broker = Broker::start().unwrap_or_else(|error| panic!("{error}"));
    let corner = Isolated::on(&broker, "kill");
    let config = corner.config.clone().set("message.timeout.ms", "60000");
    let producer = corner.producer_with(&config);
    let batch = |n: usize| -> Vec<CombatEvent> {
        (0..n)
            .flat_map(|_| fresh(CombatEvent::examples()))
            .collect()
    };
    let mut tally = Tally::default();
    let first = batch(20);
    let first_len = first.len();
    send_batch(&producer, &mut tally, first, None);
    let before = tally.acknowledged.len();
    send_batch(&producer, &mut tally, batch(20), Some(&mut broker));
    send_batch(&producer, &mut tally, batch(20), None);
    let Tally {
        sent,
        acknowledged,
        failed,
    } = tally;
    assert_eq!(
        before, first_len,
        "all confirmed before the kill: {failed:?}"
    );
    assert_eq!(
        acknowledged.len(),
        sent.len(),
        "every event confirmed, the ones in flight during the kill too: {failed:?}"
    );

    let seen = consume(&corner.consumer::<CombatEvent>("after-kill"), sent.len());
    let received: HashSet<Uuid> = handled_ids(&seen).into_iter().collect();
    let lost: Vec<&Uuid> = acknowledged
        .iter()
        .filter(|id| !received.contains(id))
        .collect();
    assert!(lost.is_empty(), "{} acknowledged events lost", lost.len());
    assert_eq!(
        seen.handled.len(),
        sent.len(),
        "no duplicates (idempotent producer)"
    );
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
fn a_detached_events_failed_delivery_goes_to_the_failure_handler() {
    let config = KafkaConfig::new(nowhere()).set("message.timeout.ms", "1500");
    let (failures, failed) = std::sync::mpsc::channel();
    let producer = EventProducer::new(&config)
        .expect("producer")
        .with_delivery_failure_handler(move |error| {
            let _ = failures.send(error.to_string());
        });
    let envelope = example_envelope(PlayerAttack::example());
    producer.enqueue_detached(&envelope).expect("handed over");
    let failure = failed
        .recv_timeout(Duration::from_secs(30))
        .expect("the handler was called");
    assert!(failure.contains("delivery failed"), "{failure}");
    assert!(failure.contains("game.combat.events"), "{failure}");
    assert!(failed.try_recv().is_err(), "one failure, reported once");
}

#[test]
fn detached_events_arrive_once_each_after_a_flush() {
    let corner = Isolated::new("detached");
    let events: Vec<CombatEvent> = (0..50).map(|_| attack_in_new_session()).collect();
    let producer = corner.producer();
    for event in &events {
        producer.enqueue_event_detached(event).expect("handed over");
    }
    producer.flush(LIMIT).expect("every record delivered");
    let consumer = corner.consumer::<CombatEvent>("detached");
    let seen = consume(&consumer, events.len());
    let sent: HashSet<Uuid> = events.iter().map(DomainEvents::event_id).collect();
    let received = handled_ids(&seen);
    assert_eq!(received.len(), events.len(), "each once");
    assert_eq!(received.into_iter().collect::<HashSet<_>>(), sent);
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

/// Provisions the catalog's topics (suffix `.t.<name>`) with `config`, produces one event and
/// consumes it back.
fn one_event_round_trip(config: &KafkaConfig, name: &str) {
    let corner = Isolated::unprovisioned(config.clone(), name);
    corner.provision();
    let event = fresh_attack();
    send_all(&corner.producer(), std::slice::from_ref(&event));
    let consumer =
        EventConsumer::<CombatEvent>::new(config, corner.consumer_options(name)).expect("consumer");
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
    let error = provision(config, &catalog_topics(""), &quick).unwrap_err();
    assert!(
        matches!(error, event_kafka::ProvisionError::Metadata(_)),
        "{error:?}"
    );
}

#[test]
fn tls_1_3_settings_pass_through_to_the_cluster() {
    let broker = Broker::shared();
    let config = KafkaConfig::new(broker.tls_bootstrap())
        .set("security.protocol", "SSL")
        .set("ssl.ca.location", broker.ca_certificate().to_string_lossy());
    one_event_round_trip(&config, "over-tls");
    // The TLS listener without TLS is unreachable: the settings are what made it work.
    assert_refused(&KafkaConfig::new(broker.tls_bootstrap()));
    // So is TLS that trusts only the system's CAs, not the broker's.
    assert_refused(
        &KafkaConfig::new(broker.tls_bootstrap())
            .set("security.protocol", "SSL")
            .set("ssl.ca.location", "probe"),
    );
}

#[test]
fn sasl_scram_settings_pass_through_to_the_cluster() {
    let broker = Broker::shared();
    let with_password = |password: &str| {
        KafkaConfig::new(broker.scram_bootstrap())
            .set("security.protocol", "SASL_PLAINTEXT")
            .set("sasl.mechanism", "SCRAM-SHA-512")
            .set("sasl.username", SCRAM_USER)
            .set("sasl.password", password)
    };
    one_event_round_trip(&with_password(SCRAM_PASSWORD), "over-sasl");
    // A wrong password, or none, does not get in.
    assert_refused(&with_password("guess"));
    assert_refused(&KafkaConfig::new(broker.scram_bootstrap()));
}
