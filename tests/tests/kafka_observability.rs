//! Metrics against the Apache Kafka broker: the clients' metrics scraped from the Prometheus
//! endpoint after a known workload, and the lag gauge of a paused consumer against the true
//! lag. (Traces: `kafka_tracing.rs`.)

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant, SystemTime};

use event_core::catalog::{example_envelope, example_time, Example};
use event_core::codec::{DomainEvents, EVENT_TYPE_HEADER};
use event_core::metrics::{
    CONSUMED_BYTES_TOTAL, CONSUMED_TOTAL, CONSUMER_LAG, DEAD_LETTERED_TOTAL, DECODE_ERRORS_TOTAL,
    DELIVERED_TOTAL, DELIVERY_SECONDS, END_TO_END_SECONDS, HANDLER_ERRORS_TOTAL, HANDLER_SECONDS,
    PRODUCED_BYTES_TOTAL, PRODUCED_TOTAL, PRODUCER_QUEUE_DEPTH, PRODUCE_ERRORS_TOTAL,
};
use event_core::KafkaEvent;
use event_domains::combat::PlayerAttack;
use event_domains::CombatEvent;
use event_kafka::{ConsumerOptions, EventConsumer, Polled, RetryPolicy};
use kafka_events_tests::hostile::RawProducer;
use kafka_events_tests::kafka::{attack_in_new_session, send_all, Isolated, LIMIT};
use uuid::Uuid;

/// A sample's labels.
type Labels = BTreeMap<String, String>;

/// One scrape of the endpoint: every sample by metric name and its labels.
struct Scrape(BTreeMap<String, Vec<(Labels, f64)>>);

impl Scrape {
    fn of(address: SocketAddr) -> Scrape {
        let mut stream = TcpStream::connect(address).expect("connect to the endpoint");
        stream
            .write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .expect("request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("response");
        let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        let mut samples: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for line in body.lines().filter(|line| !line.starts_with('#')) {
            let Some((series, value)) = line.rsplit_once(' ') else {
                continue;
            };
            let (name, labels) = match series.split_once('{') {
                Some((name, labels)) => (name, parse_labels(labels.trim_end_matches('}'))),
                None => (series, BTreeMap::new()),
            };
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("value of {line}"));
            samples
                .entry(name.to_owned())
                .or_default()
                .push((labels, value));
        }
        Scrape(samples)
    }

    /// The sum of the samples of `name` whose labels include every pair of `labels`.
    fn sum(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.samples(name, labels)
            .iter()
            .map(|(_, value)| value)
            .sum()
    }

    /// The samples of `name` whose labels include every pair of `labels`.
    fn samples(&self, name: &str, labels: &[(&str, &str)]) -> Vec<(Labels, f64)> {
        self.0
            .get(name)
            .into_iter()
            .flatten()
            .filter(|(found, _)| {
                labels
                    .iter()
                    .all(|(key, value)| found.get(*key).map(String::as_str) == Some(*value))
            })
            .cloned()
            .collect()
    }
}

/// `a="1",b="2"` (no commas or quotes inside values: the test's labels have none).
fn parse_labels(labels: &str) -> Labels {
    labels
        .split(',')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').expect("key=value");
            (key.to_owned(), value.trim_matches('"').to_owned())
        })
        .collect()
}

fn free_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address")
}

/// A consumer of `corner`'s topics in `group`, reporting statistics every second.
fn consumer(corner: &Isolated, group: &str, retry: RetryPolicy) -> EventConsumer<CombatEvent> {
    let config = corner.config.clone().set("statistics.interval.ms", "1000");
    let options: ConsumerOptions = corner.consumer_options(group).retry(retry);
    EventConsumer::new(&config, options).expect("consumer")
}

/// The workload: `VALID` attacks, 1 invalid attack refused by the producer, `POISON` records
/// no consumer can read.
const VALID: usize = 20;
const POISON: usize = 3;

#[test]
fn the_prometheus_endpoint_counts_what_happened_and_the_lag_gauge_reads_the_true_lag() {
    let began = SystemTime::now();
    let endpoint = free_port();
    event_kafka::serve_prometheus(endpoint).expect("endpoint");
    let corner = Isolated::new("observed");
    let topic = corner.topic(PlayerAttack::TOPIC);
    let service = format!("observed-service-{}", Uuid::new_v4().simple());

    // Produce: VALID attacks (each in a session of its own, so over every partition) and one
    // the producer refuses for its over-long weapon id.
    let producer = corner.producer_with(
        &corner
            .config
            .clone()
            .set("client.id", service.as_str())
            .set("statistics.interval.ms", "1000"),
    );
    let attacks: Vec<CombatEvent> = (0..VALID).map(|_| attack_in_new_session()).collect();
    send_all(&producer, &attacks);
    let mut invalid = PlayerAttack::example();
    invalid.weapon_id = "w".repeat(40);
    let refused = producer
        .send_blocking(&example_envelope(invalid))
        .expect_err("refused");
    assert_eq!(refused.kind(), "invalid");
    let produced_bytes: usize = attacks
        .iter()
        .map(|attack| {
            let record = attack.to_record().expect("record");
            let headers: usize = record.headers.iter().map(|(n, v)| n.len() + v.len()).sum();
            record.key.map_or(0, |key| key.len()) + record.value.len() + headers
        })
        .sum();

    // Poison: malformed JSON and a schema violation under the attack's name, and an event
    // type the domain does not have.
    let raw = RawProducer::new(&corner.config);
    let attack_header = PlayerAttack::EVENT_TYPE.as_bytes();
    raw.send(
        &topic,
        b"poison-1",
        b"{not json",
        &[(EVENT_TYPE_HEADER.as_bytes(), Some(attack_header))],
    );
    raw.send(
        &topic,
        b"poison-2",
        br#"{"event_type":"combat.player.attack"}"#,
        &[(EVENT_TYPE_HEADER.as_bytes(), Some(attack_header))],
    );
    raw.send(
        &topic,
        b"poison-3",
        b"{}",
        &[(
            EVENT_TYPE_HEADER.as_bytes(),
            Some(b"combat.player.teleported".as_slice()),
        )],
    );
    let total = VALID + POISON;

    // Consume everything in one group: the handler fails once on the first attack.
    let quick = RetryPolicy {
        first_backoff: Duration::from_millis(50),
        ..RetryPolicy::default()
    };
    let reader = consumer(&corner, "metrics", quick);
    let group = format!("metrics{}", corner.suffix);
    let failing_id = attacks[0].event_id();
    let (mut handled, mut dead_lettered, mut failures) = (0, 0, 0);
    let mut failed_once = false;
    let started = Instant::now();
    while handled + dead_lettered < total && started.elapsed() < LIMIT {
        let polled = reader.poll(Duration::from_millis(500), |received| {
            if received.event.event_id() == failing_id && !failed_once {
                failed_once = true;
                return Err("the handler's one failure");
            }
            Ok(())
        });
        match polled {
            Ok(Polled::Handled { .. }) => handled += 1,
            Ok(Polled::DeadLettered { .. }) => dead_lettered += 1,
            Ok(Polled::Idle) => {}
            Err(event_kafka::ConsumeError::Handler { .. }) => failures += 1,
            Err(other) => panic!("poll: {other}"),
        }
    }
    assert_eq!((handled, dead_lettered, failures), (VALID, POISON, 1));

    let scrape = Scrape::of(endpoint);
    let by_service = [("topic", topic.as_str()), ("service", service.as_str())];
    let by_group = [("topic", topic.as_str()), ("group", group.as_str())];
    let attack = ("event_type", PlayerAttack::EVENT_TYPE);
    let with =
        |labels: &[(&'static str, &'static str)], base: &[(&str, &str)]| -> Vec<(String, String)> {
            base.iter()
                .chain(labels)
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
    let sum = |name: &str, labels: Vec<(String, String)>| {
        let labels: Vec<(&str, &str)> = labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        scrape.sum(name, &labels)
    };
    // Producer side.
    assert_eq!(
        sum(PRODUCED_TOTAL, with(&[attack], &by_service)),
        VALID as f64
    );
    assert_eq!(
        sum(DELIVERED_TOTAL, with(&[attack], &by_service)),
        VALID as f64
    );
    assert_eq!(
        sum(PRODUCED_BYTES_TOTAL, with(&[], &by_service)),
        produced_bytes as f64
    );
    assert_eq!(
        sum(&format!("{DELIVERY_SECONDS}_count"), with(&[], &by_service)),
        VALID as f64
    );
    assert_eq!(
        sum(
            PRODUCE_ERRORS_TOTAL,
            with(&[("kind", "invalid")], &by_service)
        ),
        1.0
    );
    assert_eq!(sum(PRODUCE_ERRORS_TOTAL, with(&[], &by_service)), 1.0);
    // Consumer side: every read counts, the failed one twice.
    assert_eq!(
        sum(CONSUMED_TOTAL, with(&[attack], &by_group)),
        (VALID + 1 + 2) as f64
    );
    assert_eq!(
        sum(
            CONSUMED_TOTAL,
            with(&[("event_type", "unknown")], &by_group)
        ),
        1.0
    );
    assert_eq!(sum(HANDLER_ERRORS_TOTAL, with(&[], &by_group)), 1.0);
    assert_eq!(
        sum(DEAD_LETTERED_TOTAL, with(&[], &by_group)),
        POISON as f64
    );
    assert_eq!(
        sum(DECODE_ERRORS_TOTAL, with(&[], &by_group)),
        POISON as f64
    );
    assert_eq!(
        sum(
            DEAD_LETTERED_TOTAL,
            with(&[("kind", "unknown_event_type")], &by_group)
        ),
        1.0
    );
    assert_eq!(
        sum(
            &format!("{HANDLER_SECONDS}_count"),
            with(&[attack], &by_group)
        ),
        (VALID + 1) as f64
    );
    assert_eq!(
        sum(
            &format!("{END_TO_END_SECONDS}_count"),
            with(&[attack], &by_group)
        ),
        VALID as f64
    );
    // Each handled event's age runs from its envelope's timestamp (the examples' fixed time)
    // to its handling, which came after the test started and before now.
    let since_example = |at: SystemTime| {
        at.duration_since(example_time(0).into())
            .expect("the examples' time is in the past")
            .as_secs_f64()
            * VALID as f64
    };
    let ages = sum(
        &format!("{END_TO_END_SECONDS}_sum"),
        with(&[attack], &by_group),
    );
    assert!(
        (since_example(began)..=since_example(SystemTime::now())).contains(&ages),
        "the ages of {VALID} events add up to {ages} s"
    );
    assert!(sum(CONSUMED_BYTES_TOTAL, with(&[], &by_group)) > produced_bytes as f64);
    // The producer's queue depth is reported (from librdkafka's statistics, every second).
    assert!(
        !scrape
            .samples(PRODUCER_QUEUE_DEPTH, &[("service", service.as_str())])
            .is_empty(),
        "queue depth of {service}"
    );
    // Histograms have buckets, the 50 ms one among them.
    assert!(
        !scrape
            .samples(&format!("{DELIVERY_SECONDS}_bucket"), &[("le", "0.05")])
            .is_empty(),
        "delivery latency is a histogram with a 50 ms bucket"
    );

    // A second group handles 5 records, then its handler fails on every record: each
    // partition it reaches pauses (a one-hour backoff) with its records uncommitted.
    let paused = RetryPolicy {
        first_backoff: Duration::from_secs(3600),
        max_backoff: Duration::from_secs(3600),
        dead_letter_after: None,
    };
    let lagging = consumer(&corner, "lagging", paused);
    let lagging_group = format!("lagging{}", corner.suffix);
    let (mut handled, mut dead_lettered) = (0, 0);
    let mut quiet_since = Instant::now();
    let started = Instant::now();
    while quiet_since.elapsed() < Duration::from_secs(3) && started.elapsed() < LIMIT {
        let polled = lagging.poll(Duration::from_millis(200), |_| {
            if handled < 5 {
                handled += 1;
                Ok(())
            } else {
                Err("paused")
            }
        });
        match polled {
            Ok(Polled::Idle) => {}
            Ok(Polled::DeadLettered { .. }) => {
                dead_lettered += 1;
                quiet_since = Instant::now();
            }
            Ok(Polled::Handled { .. }) | Err(event_kafka::ConsumeError::Handler { .. }) => {
                quiet_since = Instant::now()
            }
            Err(other) => panic!("poll: {other}"),
        }
    }
    assert_eq!(handled, 5);
    lagging.commit().expect("commit");
    let true_lag: BTreeMap<String, i64> = lagging
        .lag(Duration::from_secs(10))
        .expect("lag")
        .into_iter()
        .filter(|partition| partition.topic == topic)
        .map(|partition| (partition.partition.to_string(), partition.lag))
        .collect();
    let expected_total = (total - handled - dead_lettered) as i64;
    assert_eq!(true_lag.values().sum::<i64>(), expected_total);
    // The gauge follows librdkafka's statistics (every second here): poll on until it agrees.
    let lag_labels = [("topic", topic.as_str()), ("group", lagging_group.as_str())];
    let mut gauge: BTreeMap<String, i64> = BTreeMap::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        let _ = lagging.poll(Duration::from_millis(500), |_| Err("paused"));
        gauge = Scrape::of(endpoint)
            .samples(CONSUMER_LAG, &lag_labels)
            .into_iter()
            .map(|(labels, value)| (labels["partition"].clone(), value as i64))
            .collect();
        if gauge == true_lag {
            break;
        }
    }
    assert_eq!(
        gauge, true_lag,
        "lag gauge per partition against the true lag"
    );
    assert!(expected_total > 0);
}
