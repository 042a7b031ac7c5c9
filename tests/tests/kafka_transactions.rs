//! Transactions against Apache Kafka: what `read_committed` consumers see of committed and
//! aborted transactions, consume-transform-produce with the consumer's offsets in the
//! transaction, and the fencing of a zombie producer.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use event_core::codec::DomainEvents;
use event_core::KafkaEvent;
use event_domains::catalog::CombatEvent;
use event_domains::combat::PlayerAttack;
use event_kafka::{
    consumer_group_lag, EventConsumer, PendingDelivery, TransactionError, TransactionalProducer,
};
use kafka_events_tests::child;
use kafka_events_tests::kafka::{
    consume, consume_for, fresh_attack, handled_ids, send_all, wait_all, Isolated, LIMIT,
};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use uuid::Uuid;

fn transactional(corner: &Isolated, id: &str) -> TransactionalProducer {
    TransactionalProducer::new(&corner.config, &format!("{id}{}", corner.suffix))
        .unwrap_or_else(|error| panic!("{error}"))
        .with_topic_suffix(&corner.suffix)
}

fn enqueue_all(producer: &TransactionalProducer, events: &[CombatEvent]) -> Vec<PendingDelivery> {
    events
        .iter()
        .map(|event| {
            producer
                .enqueue_event(event)
                .unwrap_or_else(|error| panic!("{error}"))
        })
        .collect()
}

fn ids(events: &[CombatEvent]) -> Vec<Uuid> {
    events.iter().map(DomainEvents::event_id).collect()
}

/// Opens a transaction of `producer` and writes `count` fresh attacks in it (every delivery
/// confirmed: they are in the log), leaving it open.
fn write_in_open_transaction(producer: &TransactionalProducer, count: usize) -> Vec<CombatEvent> {
    let events: Vec<CombatEvent> = (0..count).map(|_| fresh_attack()).collect();
    producer.begin().expect("begin");
    wait_all(enqueue_all(producer, &events));
    events
}

/// `count` fresh attacks written in one committed transaction of `producer`.
fn commit_fresh_attacks(producer: &TransactionalProducer, count: usize) -> Vec<CombatEvent> {
    let events: Vec<CombatEvent> = (0..count).map(|_| fresh_attack()).collect();
    producer.begin().expect("begin");
    let pending = enqueue_all(producer, &events);
    producer.commit().expect("commit");
    wait_all(pending);
    events
}

/// A `read_committed` consumer in `group` gets exactly `expected`, in order, and nothing more
/// within three seconds after them.
fn assert_only_these_arrive(corner: &Isolated, group: &str, expected: &[CombatEvent]) {
    let consumer = corner.consumer::<CombatEvent>(group);
    let mut seen = consume(&consumer, expected.len());
    seen.handled
        .extend(consume_for(&consumer, Duration::from_secs(3)).handled);
    assert_eq!(handled_ids(&seen), ids(expected));
}

/// Every event id on `topic` as a `read_uncommitted` client sees it: records of aborted
/// transactions included.
fn uncommitted_ids(corner: &Isolated, topic: &str, expected: usize) -> HashSet<Uuid> {
    let reader: BaseConsumer = corner
        .config
        .rdkafka_config()
        .set("group.id", format!("uncommitted{}", corner.suffix))
        .set("auto.offset.reset", "earliest")
        .set("isolation.level", "read_uncommitted")
        .create()
        .expect("reader");
    reader.subscribe(&[topic]).expect("subscribe");
    let mut seen = HashSet::new();
    let started = Instant::now();
    while seen.len() < expected && started.elapsed() < LIMIT {
        if let Some(Ok(message)) = reader.poll(Duration::from_millis(200)) {
            let value: serde_json::Value =
                serde_json::from_slice(message.payload().unwrap_or_default()).expect("json");
            let id = value["event_id"].as_str().expect("an id");
            seen.insert(id.parse().expect("a uuid"));
        }
    }
    seen
}

#[test]
fn read_committed_consumers_see_committed_transactions_once_and_aborted_ones_never() {
    let corner = Isolated::new("txn-visibility");
    let producer = transactional(&corner, "visibility");

    // Written to the log (every delivery confirmed), then aborted.
    let aborted = write_in_open_transaction(&producer, 5);
    producer.abort().expect("abort");

    let committed = commit_fresh_attacks(&producer, 5);

    // Nothing more arrives: not the aborted records, not a second copy.
    assert_only_these_arrive(&corner, "visibility", &committed);

    // The aborted records are in the log all the same: a read_uncommitted client sees them.
    let all = uncommitted_ids(&corner, &corner.topic(PlayerAttack::TOPIC), 10);
    let written: HashSet<Uuid> = ids(&aborted).into_iter().chain(ids(&committed)).collect();
    assert_eq!(all, written);
}

/// Polls `consumer` until `count` events were handled, each handed to `producer` as a new
/// event (a fresh id: the "transform") inside the open transaction.
fn transform(
    consumer: &EventConsumer<CombatEvent>,
    producer: &TransactionalProducer,
    count: usize,
) -> Vec<Uuid> {
    let mut read = Vec::new();
    let started = Instant::now();
    while read.len() < count && started.elapsed() < LIMIT {
        let polled = consumer.poll(Duration::from_millis(200), |received| {
            read.push(received.event.event_id());
            let derived = received.event.with_event_id(Uuid::new_v4());
            producer.enqueue_event(&derived).map(drop)
        });
        if let Err(error) = polled {
            panic!("{error}");
        }
    }
    read
}

#[test]
fn consume_transform_produce_commits_output_and_offsets_together() {
    let input = Isolated::new("ctp-in");
    let output = Isolated::new("ctp-out");
    let events: Vec<CombatEvent> = (0..6).map(|_| fresh_attack()).collect();
    send_all(&input.producer(), &events);
    let group = format!("rescore{}", input.suffix);
    let options = || input.consumer_options("rescore").offsets_in_transactions();
    let committed_lag = || -> i64 {
        consumer_group_lag(
            &input.config,
            &group,
            &[&input.topic(PlayerAttack::TOPIC)],
            Duration::from_secs(10),
        )
        .expect("lag")
        .iter()
        .map(|partition| partition.lag)
        .sum()
    };
    let output_consumer = output.consumer::<CombatEvent>("downstream");

    // One service instance: a transaction of three committed, then one of three aborted.
    let consumer = EventConsumer::<CombatEvent>::new(&input.config, options()).expect("consumer");
    let producer = TransactionalProducer::new(&input.config, &format!("rescore{}", input.suffix))
        .expect("producer")
        .with_topic_suffix(&output.suffix);
    producer.begin().expect("begin");
    assert_eq!(transform(&consumer, &producer, 3), ids(&events[..3]));
    producer.send_offsets(&consumer).expect("send offsets");
    producer.commit().expect("commit");
    assert_eq!(committed_lag(), 3, "offsets committed with the transaction");
    assert_eq!(consume(&output_consumer, 3).handled.len(), 3);

    producer.begin().expect("begin");
    assert_eq!(transform(&consumer, &producer, 3), ids(&events[3..]));
    producer.send_offsets(&consumer).expect("send offsets");
    producer.abort().expect("abort");
    // A stray commit by the consumer commits nothing: its offsets go in transactions only.
    consumer.commit().expect("nothing to commit");
    assert_eq!(
        committed_lag(),
        3,
        "the aborted transaction's offsets were not committed"
    );
    assert!(
        consume_for(&output_consumer, Duration::from_secs(3))
            .handled
            .is_empty(),
        "the aborted transaction's output is never seen"
    );
    drop(consumer);
    drop(producer);

    // The next instance resumes after the last committed transaction and finishes the work.
    let consumer = EventConsumer::<CombatEvent>::new(&input.config, options()).expect("consumer");
    let producer = TransactionalProducer::new(&input.config, &format!("rescore{}", input.suffix))
        .expect("producer")
        .with_topic_suffix(&output.suffix);
    producer.begin().expect("begin");
    assert_eq!(transform(&consumer, &producer, 3), ids(&events[3..]));
    producer.send_offsets(&consumer).expect("send offsets");
    producer.commit().expect("commit");
    assert_eq!(committed_lag(), 0);
    let mut downstream = consume(&output_consumer, 3).handled;
    downstream.extend(consume_for(&output_consumer, Duration::from_secs(2)).handled);
    assert_eq!(
        downstream.len(),
        3,
        "each input event transformed exactly once"
    );
}

#[test]
fn a_zombie_producer_is_fenced_and_its_open_transaction_aborted() {
    let corner = Isolated::new("txn-fencing");
    // The first instance opens a transaction, writes, then stalls (a long GC pause, a network
    // partition, a frozen VM): to the cluster it is as good as dead.
    let zombie = transactional(&corner, "scoreboard-0");
    write_in_open_transaction(&zombie, 3);

    // Its replacement starts with the same transactional id: the zombie's transaction is
    // aborted and its epoch fenced.
    let replacement = transactional(&corner, "scoreboard-0");
    let kept = commit_fresh_attacks(&replacement, 2);

    // The zombie comes back and tries to finish its work: refused, typed.
    let error = zombie
        .commit()
        .expect_err("a fenced producer cannot commit");
    assert!(
        matches!(error, TransactionError::Fenced { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("scoreboard-0"), "{error}");

    let consumer = corner.consumer::<CombatEvent>("fencing");
    let mut seen = consume(&consumer, kept.len());
    seen.handled
        .extend(consume_for(&consumer, Duration::from_secs(3)).handled);
    assert_eq!(
        handled_ids(&seen),
        ids(&kept),
        "only the replacement's events"
    );
}

/// Set for the child process of [`a_producer_killed_mid_transaction_is_aborted_by_its_replacement`]:
/// `bootstrap servers|topic suffix|transactional id`.
const CHILD_ENV: &str = "KAFKA_EVENTS_TRANSACTION_CHILD";
/// What the child prints once its transaction holds written records, before the event ids.
const CHILD_READY: &str = "in-transaction:";

/// Not a test of its own: the child process of
/// [`a_producer_killed_mid_transaction_is_aborted_by_its_replacement`]. It opens a
/// transaction, writes three events (delivery confirmed), says so and waits to be killed.
#[test]
#[ignore = "run in a child process by a_producer_killed_mid_transaction_is_aborted_by_its_replacement"]
fn child_producer_with_an_open_transaction() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let [bootstrap, suffix, id] = spec.splitn(3, '|').collect::<Vec<_>>()[..] else {
        panic!("{CHILD_ENV}: expected bootstrap|suffix|id, found {spec}");
    };
    let producer = TransactionalProducer::new(&event_kafka::KafkaConfig::new(bootstrap), id)
        .expect("producer")
        .with_topic_suffix(suffix);
    let events = write_in_open_transaction(&producer, 3);
    let written: Vec<String> = ids(&events).iter().map(Uuid::to_string).collect();
    child::report(CHILD_READY, &written.join(","));
    std::thread::sleep(Duration::from_secs(300));
}

#[test]
fn a_producer_killed_mid_transaction_is_aborted_by_its_replacement() {
    let corner = Isolated::new("txn-kill");
    let id = format!("ledger-0{}", corner.suffix);
    let spec = format!(
        "{}|{}|{id}",
        corner.config.bootstrap_servers(),
        corner.suffix
    );
    let (mut child, written) = child::spawn_and_wait_for(
        "child_producer_with_an_open_transaction",
        (CHILD_ENV, &spec),
        CHILD_READY,
    );
    let written: Vec<Uuid> = written
        .split(',')
        .map(|id| id.parse().expect("a uuid"))
        .collect();
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    // The replacement's registration aborts the dead one's transaction at once, not after the
    // transaction timeout (60 s).
    let started = Instant::now();
    let replacement = transactional(&corner, "ledger-0");
    let registered_in = started.elapsed();
    eprintln!("the replacement registered in {registered_in:?}");
    assert!(registered_in < Duration::from_secs(30), "{registered_in:?}");
    let kept = commit_fresh_attacks(&replacement, 2);

    // Only the replacement's events.
    assert_only_these_arrive(&corner, "after-kill", &kept);
    let all = uncommitted_ids(&corner, &corner.topic(PlayerAttack::TOPIC), 5);
    let expected: HashSet<Uuid> = written.into_iter().chain(ids(&kept)).collect();
    assert_eq!(
        all, expected,
        "the killed producer's records are in the log, aborted"
    );
}

#[test]
fn a_transactional_producer_without_a_cluster_is_a_typed_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let nowhere = format!(
        "127.0.0.1:{}",
        listener.local_addr().expect("address").port()
    );
    drop(listener);
    let config = event_kafka::KafkaConfig::new(nowhere);
    let started = Instant::now();
    let error = TransactionalProducer::with_timeout(&config, "nobody", Duration::from_secs(2))
        .err()
        .expect("no cluster, no transactions");
    assert!(
        matches!(error, TransactionError::Failed { .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
