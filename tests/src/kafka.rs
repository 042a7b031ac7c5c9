//! What the Kafka tests share: a test's own topics on the shared broker, producing, consuming
//! and the round-trip assertion.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use event_core::catalog::{example_envelope, Example};
use event_core::codec::DomainEvents;
use event_core::topic::TopicConfig;
use event_domains::combat::PlayerAttack;
use event_domains::CombatEvent;
use event_kafka::{
    provision, with_dead_letter_topics, with_topic_suffix, ConsumerOptions, EventConsumer,
    EventProducer, KafkaConfig, PendingDelivery, Polled, ProvisionOptions, ProvisionReport,
    Received, DEAD_LETTER_SUFFIX,
};
use event_tools::export::topic_configs;
use uuid::Uuid;

use crate::broker::Broker;

/// How long a test waits for records before it reports what it saw.
pub const LIMIT: Duration = Duration::from_secs(90);

/// Single broker: replication factor 1.
pub fn single_broker() -> ProvisionOptions {
    ProvisionOptions {
        replication_factor: Some(1),
        ..ProvisionOptions::default()
    }
}

/// The catalog's topics and their dead-letter topics, each name ending in `suffix`.
pub fn catalog_topics(suffix: &str) -> Vec<TopicConfig> {
    with_dead_letter_topics(
        with_topic_suffix(topic_configs(event_domains::catalog().events()), suffix),
        DEAD_LETTER_SUFFIX,
    )
}

/// Sets `key` to `value` in the configuration of every topic of `topics`.
pub fn set_topic_setting(topics: &mut [TopicConfig], key: &str, value: &str) {
    for topic in topics {
        topic.config.retain(|(existing, _)| existing != key);
        topic.config.push((key.to_owned(), value.to_owned()));
    }
}

/// A test's own corner of a broker: the catalog's topics with a suffix of the test's own
/// (`game.combat.events.t.<name>` …), and clients that use them.
pub struct Isolated {
    /// The topics' suffix, `.t.<name>`.
    pub suffix: String,
    /// How clients reach the broker.
    pub config: KafkaConfig,
    /// The topics (with dead-letter topics) that [`provision`](Self::provision) applies.
    pub topics: Vec<TopicConfig>,
}

impl Isolated {
    /// The catalog's topics with suffix `.t.<name>`, provisioned on the shared broker.
    pub fn new(name: &str) -> Self {
        Self::on(Broker::shared(), name)
    }

    /// The catalog's topics with suffix `.t.<name>`, provisioned on `broker`.
    pub fn on(broker: &Broker, name: &str) -> Self {
        let isolated = Self::unprovisioned(KafkaConfig::new(broker.bootstrap()), name);
        isolated.provision();
        isolated
    }

    /// The catalog's topics with suffix `.t.<name>` on the cluster `config` reaches, not
    /// provisioned yet.
    pub fn unprovisioned(config: KafkaConfig, name: &str) -> Self {
        let suffix = format!(".t.{name}");
        Isolated {
            topics: catalog_topics(&suffix),
            suffix,
            config,
        }
    }

    /// Sets `key` to `value` in every topic's configuration (before provisioning).
    pub fn with_topic_setting(mut self, key: &str, value: &str) -> Self {
        set_topic_setting(&mut self.topics, key, value);
        self
    }

    /// Provisions the topics and returns the report.
    pub fn provision(&self) -> ProvisionReport {
        provision(&self.config, &self.topics, &single_broker())
            .unwrap_or_else(|error| panic!("provisioning failed: {error}"))
    }

    /// The dead-letter topic of `topic` as this test names it.
    pub fn dead_letter_topic(&self, topic: &str) -> String {
        format!("{}{DEAD_LETTER_SUFFIX}", self.topic(topic))
    }

    /// `topic` as this test names it.
    pub fn topic(&self, topic: &str) -> String {
        format!("{topic}{}", self.suffix)
    }

    /// A producer that writes to this test's topics.
    pub fn producer(&self) -> EventProducer {
        self.producer_with(&self.config)
    }

    /// A producer with `config` that writes to this test's topics (the examples' fictitious
    /// personal data in clear).
    pub fn producer_with(&self, config: &KafkaConfig) -> EventProducer {
        EventProducer::new(config)
            .unwrap_or_else(|error| panic!("producer: {error}"))
            .with_topic_suffix(&self.suffix)
            .allow_clear_personal_data()
    }

    /// Options of a consumer of this test's topics in `group`.
    pub fn consumer_options(&self, group: &str) -> ConsumerOptions {
        ConsumerOptions::new(format!("{group}{}", self.suffix)).topic_suffix(&self.suffix)
    }

    /// A consumer of this test's topics in `group`.
    pub fn consumer<E: DomainEvents>(&self, group: &str) -> EventConsumer<E> {
        EventConsumer::new(&self.config, self.consumer_options(group))
            .unwrap_or_else(|error| panic!("consumer: {error}"))
    }
}

/// `events` with fresh ids.
pub fn fresh<E: DomainEvents>(events: Vec<E>) -> Vec<E> {
    events
        .into_iter()
        .map(|event| event.with_event_id(Uuid::new_v4()))
        .collect()
}

/// The catalog's attack example with a fresh id (keyed by its session: one partition).
pub fn fresh_attack() -> CombatEvent {
    CombatEvent::PlayerAttack(
        example_envelope(PlayerAttack::example()).with_event_id(Uuid::new_v4()),
    )
}

/// An attack in a session of its own (so attacks spread over the partitions).
pub fn attack_in_new_session() -> CombatEvent {
    let mut attack = PlayerAttack::example();
    attack.session_id = Uuid::new_v4();
    CombatEvent::PlayerAttack(example_envelope(attack).with_event_id(Uuid::new_v4()))
}

/// Enqueues every event and waits for every delivery.
pub fn send_all<E: DomainEvents>(producer: &EventProducer, events: &[E]) {
    let pending: Vec<PendingDelivery> = events
        .iter()
        .map(|event| {
            producer
                .enqueue_event(event)
                .unwrap_or_else(|error| panic!("{error}"))
        })
        .collect();
    wait_all(pending);
}

/// Waits for every delivery; panics on the first failure.
pub fn wait_all(pending: Vec<PendingDelivery>) {
    for delivery in pending {
        delivery
            .wait()
            .unwrap_or_else(|error| panic!("delivery: {error}"));
    }
}

/// What a consumer saw: handled events and dead letters, in order.
pub struct Seen<E> {
    /// Handed to the handler.
    pub handled: Vec<Received<E>>,
    /// Written to the dead-letter topic.
    pub dead_letters: Vec<Polled>,
}

impl<E> Seen<E> {
    fn new() -> Self {
        Seen {
            handled: Vec::new(),
            dead_letters: Vec::new(),
        }
    }

    fn count(&self) -> usize {
        self.handled.len() + self.dead_letters.len()
    }
}

/// One poll of `consumer`, its outcome added to `seen`.
fn poll_once<E: DomainEvents>(consumer: &EventConsumer<E>, seen: &mut Seen<E>) {
    let mut received = None;
    match consumer.poll(Duration::from_millis(100), |event| {
        received = Some(event);
        Ok::<(), std::convert::Infallible>(())
    }) {
        Ok(Polled::Handled { .. }) => seen.handled.extend(received),
        Ok(polled @ Polled::DeadLettered { .. }) => seen.dead_letters.push(polled),
        Ok(Polled::Idle) => {}
        Err(error) => eprintln!("poll: {error} (retrying)"),
    }
}

/// Polls until `count` records were handled or dead-lettered (or [`LIMIT`] passed).
pub fn consume<E: DomainEvents>(consumer: &EventConsumer<E>, count: usize) -> Seen<E> {
    let mut seen = Seen::new();
    let started = Instant::now();
    while seen.count() < count && started.elapsed() < LIMIT {
        poll_once(consumer, &mut seen);
    }
    seen
}

/// Polls for `quiet` and returns what arrived (to show that nothing more does).
pub fn consume_for<E: DomainEvents>(consumer: &EventConsumer<E>, quiet: Duration) -> Seen<E> {
    let mut seen = Seen::new();
    let started = Instant::now();
    while started.elapsed() < quiet {
        poll_once(consumer, &mut seen);
    }
    seen
}

/// The record key of `event`.
pub fn key_of<E: DomainEvents>(event: &E) -> Option<Vec<u8>> {
    event.to_record().ok().and_then(|record| record.key)
}

/// The topic (without suffix) and key of `event`'s record: Kafka keeps order per partition,
/// so per topic and key.
fn topic_and_key<E: DomainEvents>(event: &E) -> (&'static str, Option<Vec<u8>>) {
    event
        .to_record()
        .map(|record| (record.topic, record.key))
        .unwrap_or(("", None))
}

/// The events of `E`'s own domain among its examples: a cross-domain event its enum lists is
/// published by its own domain, once.
pub fn own_examples<E: DomainEvents>() -> Vec<E> {
    E::examples()
        .into_iter()
        .filter(|event| event.event_type().split('.').next() == Some(E::DOMAIN))
        .collect()
}

/// What a consumer of `E` receives of the `published` records (in their order): those of the
/// events its enum lists, decoded as `E`.
pub fn expected<E: DomainEvents>(published: &[event_core::codec::KafkaRecord]) -> Vec<E> {
    published
        .iter()
        .filter_map(|record| E::decode_record(record).ok())
        .collect()
}

/// The ids of what was handled, in order.
pub fn handled_ids<E: DomainEvents>(seen: &Seen<E>) -> Vec<Uuid> {
    seen.handled.iter().map(|r| r.event.event_id()).collect()
}

/// Every sent event arrived exactly once, equal to what was sent, and the events of each key
/// arrived in the order they were sent, per topic (a consumer of several topics, as a domain's
/// is with cross-domain events, has no order across them).
pub fn assert_round_trip<E: DomainEvents + PartialEq>(sent: &[E], seen: &Seen<E>) {
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
    type TopicKey = (&'static str, Option<Vec<u8>>);
    let per_key = |events: &mut dyn Iterator<Item = (TopicKey, Uuid)>| {
        let mut per_key: HashMap<TopicKey, Vec<Uuid>> = HashMap::new();
        for (key, id) in events {
            per_key.entry(key).or_default().push(id);
        }
        per_key
    };
    let sent_order = per_key(
        &mut sent
            .iter()
            .map(|event| (topic_and_key(event), event.event_id())),
    );
    let received_order = per_key(
        &mut seen
            .handled
            .iter()
            .map(|received| (topic_and_key(&received.event), received.event.event_id())),
    );
    for (key, ids) in &sent_order {
        if key.1.is_some() {
            assert_eq!(
                Some(ids),
                received_order.get(key),
                "{}: key order",
                E::DOMAIN
            );
        }
    }
}

/// A handler's error in the tests: the scoreboard cannot take the event now.
#[derive(Debug)]
pub struct Busy;

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("scoreboard busy")
    }
}
