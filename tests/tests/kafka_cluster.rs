//! The catalog's real replication settings on a three-node Apache Kafka cluster (KRaft, three
//! combined broker+controller nodes on this machine): replication factor 3 and
//! `min.insync.replicas` 2. One node killed mid-stream: nothing acknowledged is lost and the
//! stream goes on. A second one killed: sends fail for their callers instead of being
//! acknowledged. Both back: every acknowledged event is consumed.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use event_core::codec::DomainEvents as _;
use event_core::KafkaEvent;
use event_domains::combat::PlayerAttack;
use event_domains::CombatEvent;
use event_kafka::{
    provision, ConsumerOptions, EventConsumer, EventProducer, KafkaConfig, PendingDelivery,
    ProvisionOptions,
};
use kafka_events_tests::broker::Broker;
use kafka_events_tests::kafka::{attack_in_new_session, consume_for, handled_ids, Isolated, LIMIT};
use rdkafka::consumer::{BaseConsumer, Consumer};
use uuid::Uuid;

/// Sends `count` attacks, one every 10 ms, and waits for each outcome: (id, acknowledged,
/// error text).
fn send(producer: &EventProducer, count: usize) -> Vec<(Uuid, Result<(), String>)> {
    let pending: Vec<(Uuid, PendingDelivery)> = (0..count)
        .map(|_| {
            let event = attack_in_new_session();
            std::thread::sleep(Duration::from_millis(10));
            let pending = producer
                .enqueue_event(&event)
                .unwrap_or_else(|error| panic!("enqueue refused: {error}"));
            (event.event_id(), pending)
        })
        .collect();
    pending
        .into_iter()
        .map(|(id, pending)| (id, pending.wait().map(drop).map_err(|e| e.to_string())))
        .collect()
}

fn acknowledged(results: &[(Uuid, Result<(), String>)]) -> Vec<Uuid> {
    results
        .iter()
        .filter(|(_, result)| result.is_ok())
        .map(|(id, _)| *id)
        .collect()
}

#[test]
fn a_three_node_cluster_keeps_every_acknowledged_event_through_two_node_failures() {
    let mut nodes = Broker::start_cluster(3).expect("cluster");
    let bootstrap: Vec<String> = nodes.iter().map(Broker::bootstrap).collect();
    let config = KafkaConfig::new(bootstrap.join(","));
    let corner = Isolated::unprovisioned(config.clone(), "cluster");
    // The catalog's own replication (3) and min.insync.replicas (2).
    provision(&corner.config, &corner.topics, &ProvisionOptions::default()).expect("provisioned");
    let reader: BaseConsumer = config.rdkafka_config().create().expect("client");
    let topic = corner.topic(PlayerAttack::TOPIC);
    let metadata = reader
        .fetch_metadata(Some(&topic), Duration::from_secs(10))
        .expect("metadata");
    let replicas: Vec<usize> = metadata.topics()[0]
        .partitions()
        .iter()
        .map(|partition| partition.replicas().len())
        .collect();
    assert!(
        !replicas.is_empty() && replicas.iter().all(|&n| n == 3),
        "{replicas:?}"
    );

    let producer = EventProducer::new(&config.clone().set("message.timeout.ms", "20000"))
        .expect("producer")
        .with_topic_suffix(&corner.suffix);
    let healthy = send(&producer, 200);
    assert_eq!(
        acknowledged(&healthy).len(),
        200,
        "all acknowledged on a healthy cluster"
    );

    // One node down: its partitions move to the other two, which still make two in-sync
    // replicas, so writes go on.
    nodes[1].kill();
    let one_down = send(&producer, 200);
    let one_down_acknowledged = acknowledged(&one_down).len();

    // Two nodes down: one replica left, fewer than min.insync.replicas (and no controller
    // quorum): a send fails for its caller within the delivery timeout.
    nodes[2].kill();
    let short_lived = EventProducer::new(&config.clone().set("message.timeout.ms", "6000"))
        .expect("producer")
        .with_topic_suffix(&corner.suffix);
    let two_down = send(&short_lived, 50);
    let mut errors: Vec<String> = two_down
        .iter()
        .filter_map(|(_, result)| result.clone().err())
        .collect();
    errors.sort();
    errors.dedup();

    nodes[1].restart().expect("node 2 back");
    nodes[2].restart().expect("node 3 back");

    let all: Vec<Uuid> = [&healthy, &one_down, &two_down]
        .iter()
        .flat_map(|results| acknowledged(results))
        .collect();
    let consumer = EventConsumer::<CombatEvent>::new(
        &config,
        ConsumerOptions::new(format!("cluster-reader{}", corner.suffix))
            .topic_suffix(&corner.suffix),
    )
    .expect("consumer");
    let mut consumed: HashSet<Uuid> = HashSet::new();
    let started = Instant::now();
    while started.elapsed() < LIMIT && !all.iter().all(|id| consumed.contains(id)) {
        consumed.extend(handled_ids(&consume_for(&consumer, Duration::from_secs(3))));
    }
    let lost: Vec<&Uuid> = all.iter().filter(|id| !consumed.contains(id)).collect();
    eprintln!(
        "FAULT | 3-node cluster (RF 3, min.insync.replicas 2): one node killed, then a second, both restarted | runs 1 | events 450 | lost {} | acknowledged {} (healthy 200/200, one down {one_down_acknowledged}/200, two down {}/50) | duplicated {} | errors with two down: {errors:?}",
        lost.len(),
        all.len(),
        acknowledged(&two_down).len(),
        consumed.len().saturating_sub(all.len()),
    );
    assert!(lost.is_empty(), "acknowledged but never consumed: {lost:?}");
    assert_eq!(
        one_down_acknowledged, 200,
        "the stream goes on with one node down"
    );
    assert!(
        acknowledged(&two_down).len() < 50 && !errors.is_empty(),
        "with two nodes down, sends fail for their callers"
    );
}
