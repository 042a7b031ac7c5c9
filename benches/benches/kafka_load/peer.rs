//! The load's peer: the same mix, rate and librdkafka settings through a client a user without
//! this framework would write with rdkafka and serde_json. A `ThreadedProducer` whose context
//! counts failed deliveries (no future per record) sends `serde_json::to_vec` of each event's
//! envelope with its partition key and an `event_type` header (none with `HeaderSet::None`);
//! per domain a `BaseConsumer` reads its topics, dispatches on that header (without one, on
//! the envelope's `event_type`, read as ours reads it) and decodes with `serde_json::from_slice` into
//! the event's envelope, librdkafka storing offsets as records are polled. No validation,
//! metrics, spans, dead letters or personal-data checks, and each event's topic, key and name
//! are computed once, not per record: the peer is the floor of what librdkafka and serde cost
//! here. Its topics are the catalog's with the suffix [`Codec::suffix`].
//!
//! With [`Codec::Bare`] the same client measures librdkafka alone: each event's values are
//! written before the run ([`BARE_VALUES`] of each example, each with its own id and
//! timestamp, so that batches compress as the other clients' do; one value per example,
//! sent again and again, compressed to a third of their size) and sent as those bytes; its
//! consumer dispatches on the header as before but decodes nothing, taking the send time from
//! the record's timestamp (librdkafka's, in milliseconds). What is left is what any client of
//! librdkafka pays here.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use event_core::catalog::{EventVisitor, Example};
use event_core::codec::{
    event_type_of, DomainEvents, HeaderSet, KafkaRecord, RecordOptions, EVENT_TYPE_HEADER,
};
use event_core::Envelope;
use event_domains::{CombatEvent, EconomyEvent, SocialEvent, SystemEvent};
use event_kafka::{CONSUMER_DEFAULTS, PRODUCER_DEFAULTS};
use kafka_events_tests::broker::Broker;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{BorrowedMessage, Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::ClientContext;

use super::{
    consume_loop, fresh, measure, read_now, send_paced, AnyEvent, Consumers, Handoff, Measured,
    Produced, Read, Settings, DRAIN_WARM_UP,
};

/// What the peer does with each event's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    /// serde_json writes it per record (fresh id and timestamp) and reads it back, typed.
    SerdeJson,
    /// Its bytes are written before the run and not read back: librdkafka alone.
    Bare,
}

impl Codec {
    /// The suffix of this peer's topics (each peer has its own).
    pub fn suffix(self) -> &'static str {
        match self {
            Codec::SerdeJson => ".peer",
            Codec::Bare => ".bare",
        }
    }

    /// The peer in a table's row.
    pub fn short(self) -> &'static str {
        match self {
            Codec::SerdeJson => "plain rdkafka + serde_json",
            Codec::Bare => "bare rdkafka (librdkafka alone)",
        }
    }

    /// The peer, as the bench's report introduces it.
    pub fn describe(self) -> &'static str {
        match self {
            Codec::SerdeJson => {
                "plain rdkafka + serde_json (no validation, metrics, spans or dead letters)"
            }
            Codec::Bare => {
                "bare rdkafka (values written before the run and not decoded: librdkafka alone)"
            }
        }
    }
}

/// librdkafka's configuration: our clients' defaults without the statistics our metrics read.
fn client_config(bootstrap: &str, defaults: &[(&str, &str)]) -> ClientConfig {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", bootstrap);
    for (key, value) in defaults {
        if *key != "statistics.interval.ms" {
            config.set(*key, *value);
        }
    }
    config
}

/// Counts the deliveries librdkafka reports failed.
#[derive(Default)]
struct CountFailures {
    failed: AtomicUsize,
}

impl ClientContext for CountFailures {}

impl ProducerContext for CountFailures {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if result.is_err() {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
    }
}

type PlainProducer = ThreadedProducer<CountFailures>;

/// How many values of each example the bare client writes before the run, each with its own
/// id and timestamp: a partition's batch (tens of records at the bench's rates) then holds no
/// value twice, nor does LZ4's 64 KiB window (about 130 records); they repeat only after some
/// 9 000 records.
pub const BARE_VALUES: usize = 256;

/// An event of the mix with what the peer computes once: its topic, key and headers (and, bare,
/// its values).
struct PlainEvent {
    event: AnyEvent,
    topic: String,
    key: Option<Vec<u8>>,
    /// The headers our producer writes on the event's JSON record, with the run's header set.
    headers: Vec<(&'static str, Vec<u8>)>,
    /// The values sent in turn ([`Codec::Bare`]), or none: written per record. Boxed: each
    /// holds its bytes alone, not the writer's spare capacity.
    values: Vec<Box<[u8]>>,
}

impl PlainEvent {
    fn of(event: AnyEvent, headers: HeaderSet, codec: Codec) -> PlainEvent {
        fn parts<E: DomainEvents + Clone>(event: &E, options: &RecordOptions) -> KafkaRecord {
            fresh(event)
                .to_record_with(options)
                .expect("a valid example")
        }
        let options = RecordOptions {
            headers,
            ..RecordOptions::default()
        };
        let record = || match &event {
            AnyEvent::Combat(e) => parts(e, &options),
            AnyEvent::Economy(e) => parts(e, &options),
            AnyEvent::Social(e) => parts(e, &options),
            AnyEvent::System(e) => parts(e, &options),
        };
        let first = record();
        let values = match codec {
            Codec::SerdeJson => Vec::new(),
            Codec::Bare => std::iter::once(first.value)
                .chain((1..BARE_VALUES).map(|_| record().value))
                .map(Vec::into_boxed_slice)
                .collect(),
        };
        PlainEvent {
            topic: format!("{}{}", first.topic, codec.suffix()),
            key: first.key,
            headers: first.headers,
            values,
            event,
        }
    }

    /// A fresh id, stamped now, written by serde_json (bare: the `round`-th of its values) and
    /// handed to the producer; `false` if librdkafka refused it.
    fn send(&self, producer: &PlainProducer, round: usize) -> bool {
        fn stamped<E: DomainEvents + Clone + serde::Serialize>(event: &E) -> Vec<u8> {
            serde_json::to_vec(&fresh(event)).expect("serde_json writes an envelope")
        }
        let value = match (self.values.is_empty(), &self.event) {
            (false, _) => Cow::Borrowed(&*self.values[round % self.values.len()]),
            (true, AnyEvent::Combat(e)) => Cow::Owned(stamped(e)),
            (true, AnyEvent::Economy(e)) => Cow::Owned(stamped(e)),
            (true, AnyEvent::Social(e)) => Cow::Owned(stamped(e)),
            (true, AnyEvent::System(e)) => Cow::Owned(stamped(e)),
        };
        let mut record = BaseRecord::<[u8], [u8]>::to(&self.topic).payload(value.as_ref());
        if !self.headers.is_empty() {
            let headers =
                self.headers
                    .iter()
                    .fold(OwnedHeaders::new(), |headers, (name, value)| {
                        headers.insert(Header {
                            key: name,
                            value: Some(value.as_slice()),
                        })
                    });
            record = record.headers(headers);
        }
        if let Some(key) = &self.key {
            record = record.key(key.as_slice());
        }
        loop {
            match producer.send(record) {
                Ok(()) => return true,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), returned)) => {
                    thread::sleep(Duration::from_millis(1));
                    record = returned;
                }
                Err((error, _)) => {
                    eprintln!("peer: enqueue: {error}");
                    return false;
                }
            }
        }
    }
}

/// What the peer's consumer calls for a record of each event: when it was sent, if it reads.
type Decode = fn(&BorrowedMessage<'_>) -> Option<DateTime<Utc>>;

/// serde_json's typed decode of the envelope, giving its timestamp.
fn decode<T: Example>(message: &BorrowedMessage<'_>) -> Option<DateTime<Utc>> {
    serde_json::from_slice::<Envelope<T>>(message.payload().unwrap_or_default())
        .ok()
        .map(|envelope| envelope.timestamp())
}

/// No decode: the record's timestamp (set by librdkafka at the send, in milliseconds).
fn timestamp_only(message: &BorrowedMessage<'_>) -> Option<DateTime<Utc>> {
    let millis = message.timestamp().to_millis()?;
    Utc.timestamp_millis_opt(millis).single()
}

/// The decoders of a domain's events, by name.
struct Decoders {
    codec: Codec,
    by_name: HashMap<&'static str, Decode>,
}

impl EventVisitor for Decoders {
    fn visit<T: Example>(&mut self) {
        let decode = match self.codec {
            Codec::SerdeJson => decode::<T>,
            Codec::Bare => timestamp_only,
        };
        self.by_name.insert(T::EVENT_TYPE, decode);
    }
}

/// What one of the peer's consumers reads: its group, its topics and the decoders of the
/// events on them.
struct Subscription {
    group: String,
    topics: Vec<String>,
    decoders: Decoders,
}

impl Subscription {
    /// Adds the topics and events of the domain `E` lists.
    fn with<E: DomainEvents>(mut self) -> Self {
        if !self.group.is_empty() {
            self.group.push('-');
        }
        self.group.push_str(E::DOMAIN);
        for topic in E::topics() {
            let topic = format!("{topic}{}", self.decoders.codec.suffix());
            if !self.topics.contains(&topic) {
                self.topics.push(topic);
            }
        }
        E::visit_events(&mut self.decoders);
        self
    }

    /// The subscription of the consumer `index` of `count` (one per domain, or one for all).
    fn of(index: usize, count: usize, codec: Codec) -> Self {
        let all = Subscription {
            group: String::new(),
            topics: Vec::new(),
            decoders: Decoders {
                codec,
                by_name: HashMap::new(),
            },
        };
        match (count, index) {
            (1, _) => all
                .with::<CombatEvent>()
                .with::<EconomyEvent>()
                .with::<SocialEvent>()
                .with::<SystemEvent>(),
            (_, 0) => all.with::<CombatEvent>(),
            (_, 1) => all.with::<EconomyEvent>(),
            (_, 2) => all.with::<SocialEvent>(),
            _ => all.with::<SystemEvent>(),
        }
    }
}

/// Consumes `expected` events of `subscription`'s topics.
fn consume(
    bootstrap: &str,
    properties: &[(String, String)],
    subscription: Subscription,
    expected: usize,
    handoff: Handoff,
) {
    let mut config = client_config(bootstrap, CONSUMER_DEFAULTS);
    config
        .set(
            "group.id",
            format!(
                "kafka-load{}-{}",
                subscription.decoders.codec.suffix().replace('.', "-"),
                subscription.group
            ),
        )
        .set("session.timeout.ms", "6000");
    for (key, value) in properties {
        config.set(key, value);
    }
    let consumer: BaseConsumer = config
        .create()
        .unwrap_or_else(|error| panic!("peer consumer: {error}"));
    let topics: Vec<&str> = subscription.topics.iter().map(String::as_str).collect();
    consumer
        .subscribe(&topics)
        .unwrap_or_else(|error| panic!("peer subscribe: {error}"));
    let decoders = subscription.decoders.by_name;
    consume_loop(expected, handoff, || {
        match consumer.poll(Duration::from_millis(100)) {
            Some(Ok(message)) => {
                let header = message
                    .headers()
                    .and_then(|headers| {
                        headers
                            .iter()
                            .find(|header| header.key == EVENT_TYPE_HEADER)
                    })
                    .and_then(|header| header.value);
                let sent = event_type_of(header, message.payload().unwrap_or_default())
                    .ok()
                    .and_then(|name| decoders.get(name.as_ref()))
                    .and_then(|decode| decode(&message));
                sent.map_or(Read::DeadLetter, read_now)
            }
            Some(Err(error)) => {
                eprintln!(
                    "peer{} {}: {error}",
                    subscription.decoders.codec.suffix(),
                    subscription.group
                );
                Read::Nothing
            }
            None => Read::Nothing,
        }
    });
}

/// Sends the `i`-th event of `mix` from its `first`.
fn sender<'a>(
    mix: &'a [PlainEvent],
    producer: &'a PlainProducer,
    first: usize,
) -> impl FnMut(usize) -> bool + 'a {
    move |i| {
        let index = first + i;
        mix[index % mix.len()].send(producer, index / mix.len())
    }
}

/// The peer's clients (consumers per domain, or one for all with `KAFKA_LOAD_CONSUMERS=1`),
/// warmed up and ready to measure.
pub struct Peer {
    codec: Codec,
    mix: Vec<PlainEvent>,
    producer: PlainProducer,
    consumers: Consumers,
    expected: Vec<usize>,
    warm_up: usize,
    total: usize,
    rate: u64,
}

impl Peer {
    /// Starts the peer's consumers and producer and runs `warm_up_seconds` of the load through
    /// them.
    pub fn start(bootstrap: &str, settings: &Settings, codec: Codec, warm_up_seconds: u64) -> Peer {
        let mix: Vec<PlainEvent> = AnyEvent::mix()
            .into_iter()
            .map(|event| PlainEvent::of(event, settings.headers, codec))
            .collect();
        let warm_up = (warm_up_seconds * settings.rate) as usize;
        let sent = (0..warm_up + settings.total).map(|i| &mix[i % mix.len()]);
        let expected = if settings.consumers == 1 {
            vec![sent.count()]
        } else {
            let mut by_domain = vec![0usize; 4];
            for event in sent {
                by_domain[event.event.domain_index()] += 1;
            }
            by_domain
        };
        let consumers = {
            let bootstrap = bootstrap.to_owned();
            let properties = settings.consumer_properties.clone();
            let count = expected.len();
            Consumers::start(&expected, move |index, events, handoff| {
                let subscription = Subscription::of(index, count, codec);
                consume(&bootstrap, &properties, subscription, events, handoff);
            })
        };
        let mut config = client_config(bootstrap, PRODUCER_DEFAULTS);
        for (key, value) in &settings.producer_properties {
            config.set(key, value);
        }
        let producer: PlainProducer = config
            .create_with_context(CountFailures::default())
            .unwrap_or_else(|error| panic!("peer producer: {error}"));
        let peer = Peer {
            codec,
            mix,
            producer,
            consumers,
            expected,
            warm_up,
            total: settings.total,
            rate: settings.rate,
        };
        send_paced(
            peer.warm_up,
            peer.rate,
            sender(&peer.mix, &peer.producer, 0),
        );
        peer.producer
            .flush(Duration::from_secs(60))
            .unwrap_or_else(|error| panic!("peer{} warm-up: {error}", codec.suffix()));
        thread::sleep(DRAIN_WARM_UP);
        peer
    }

    /// Measures the load through the peer, as ours, without the threads `left_out` (any that
    /// ran before it started); its clients are closed when it returns.
    pub fn measure(self, broker: Option<&Broker>, left_out: HashSet<String>) -> Measured {
        let failed_before = self.producer.context().failed.load(Ordering::Relaxed);
        let expected = self.expected.iter().sum();
        measure(
            broker,
            self.consumers,
            expected,
            left_out,
            |started: Instant| {
                let send = sender(&self.mix, &self.producer, self.warm_up);
                send_paced(self.total, self.rate, send);
                let produced_in = started.elapsed();
                if let Err(error) = self.producer.flush(Duration::from_secs(60)) {
                    eprintln!("peer{}: flush: {error}", self.codec.suffix());
                }
                Produced {
                    produced_in,
                    confirmed_in: started.elapsed(),
                    // Failed deliveries, and records still undelivered after the flush.
                    failed: self.producer.context().failed.load(Ordering::Relaxed) - failed_before
                        + usize::try_from(self.producer.in_flight_count()).unwrap_or(0),
                }
            },
        )
    }
}
