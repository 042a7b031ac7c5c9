//! `cargo bench --bench kafka_load`: sustained produce → consume of mixed catalog events
//! through a real broker, with the end-to-end latency of every event (envelope timestamp set
//! just before the send, read in the consumer's handler) and where the CPU time went; then the
//! same load through a plain rdkafka + serde_json client (the peer: no validation, metrics,
//! spans or dead letters), so that our CPU per event is read next to the peer's of the same run.
//!
//! By default it starts an Apache Kafka broker (the tests' harness: KRaft, single node, from
//! Maven Central's jars) on free loopback ports; set `KAFKA_LOAD_BOOTSTRAP=host:port` to
//! measure an existing cluster instead (the catalog's topics must exist or be creatable).
//! `KAFKA_LOAD_EVENTS` (default 1 000 000) and `KAFKA_LOAD_RATE` (events/s offered, default
//! 100 000) set the load; `KAFKA_LOAD_COMPRESSION` the producer's `compression.type` (default:
//! the producer's own default, lz4, the codec the catalog's topics store; when set, the topics
//! are created with `compression.type=producer` so the broker stores the batches as sent);
//! `KAFKA_LOAD_FETCH_WAIT_MS` the consumers' `fetch.wait.max.ms` (default: librdkafka's);
//! `KAFKA_LOAD_WARMUP_SECONDS` (default 30) how long the same load runs before the clock
//! starts (the broker's JIT compiler needs it; the clients after the first, on a warm broker,
//! get a third of it);
//! `KAFKA_LOAD_COMBAT_FORMAT=binary` writes the combat domain's events as binary records
//! (`WireFormat::Binary`) instead of JSON, the other domains staying JSON (run it once each way
//! to compare); `KAFKA_LOAD_PRODUCER` and `KAFKA_LOAD_CONSUMER` set further librdkafka
//! properties of the producers and consumers (`linger.ms=20,batch.size=1000000`), ours and
//! the peer's alike; `KAFKA_LOAD_PEER=0` skips the peer. `KAFKA_LOAD_BARE=1` measures a third
//! client after the peer: the peer's with its values written before the run (256 of each
//! example, each with its own id and timestamp) and nothing decoded (librdkafka alone, the
//! floor under any client here; its latency has the millisecond resolution of the record's
//! timestamp). `KAFKA_LOAD_CONSUMERS=1` reads the four domains with one consumer (ours an
//! `EventConsumer<GameEvent>`, whose variants hold the domain enums) instead of one consumer
//! per domain, ours and the peer's alike.
//! `KAFKA_LOAD_HEADERS=lean` has our producer write lean headers (`HeaderSet::Lean`:
//! `event_type` alone, plus `content-type` on binary records) instead of every header
//! (`event_type`, `event_version`, `content-type`, `correlation_id` when set), and
//! `KAFKA_LOAD_HEADERS=none` none on its JSON records (`HeaderSet::None`: consumers read the
//! envelope's `event_type`); the peer writes the same headers as ours on its JSON records,
//! and without an `event_type` header its consumers read the envelope's as ours do.
//! The clients run one at a time: each is started (and warmed up) once the one before it is
//! closed, so none is measured beside another's idle polling. `KAFKA_LOAD_ORDER=peer-first`
//! measures the peers before ours (the host's speed drifts through a run; alternate the order
//! to see which way). Our producer hands events over
//! detached (`enqueue_event_detached`); `KAFKA_LOAD_DELIVERIES=pending` takes a
//! `PendingDelivery` per record instead, confirmed by a thread of its own.
//!
//! Besides throughput and latency it reports the CPU seconds of the broker's JVM and of this
//! process, each split by thread (from `/proc/<pid>/task`), and the bytes the broker stored.

#[path = "kafka_load/peer.rs"]
mod peer;
#[path = "kafka_load/process.rs"]
mod process;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use chrono::Utc;
use event_core::codec::{DomainEvents, HeaderSet, RecordOptions, WireFormat};
use event_domains::{CombatEvent, EconomyEvent, GameEvent, SocialEvent, SystemEvent};
use event_kafka::{
    provision, with_dead_letter_topics, with_topic_suffix, ConsumerOptions, EventConsumer,
    EventProducer, KafkaConfig, PendingDelivery, Polled, ProvisionOptions,
};
use event_tools::export::topic_configs;
use kafka_events_tests::broker::Broker;
use kafka_events_tests::kafka::{own_examples, set_topic_setting};
use process::{thread_groups_line, Usage, Window};
use uuid::Uuid;

/// One event of the mix, whatever its domain.
#[derive(Clone)]
enum AnyEvent {
    Combat(CombatEvent),
    Economy(EconomyEvent),
    Social(SocialEvent),
    System(SystemEvent),
}

impl AnyEvent {
    /// Every example of the four domains' own events, domains interleaved.
    fn mix() -> Vec<AnyEvent> {
        let combat = own_examples::<CombatEvent>();
        let economy = own_examples::<EconomyEvent>();
        let social = own_examples::<SocialEvent>();
        let system = own_examples::<SystemEvent>();
        let longest = [combat.len(), economy.len(), social.len(), system.len()]
            .into_iter()
            .max()
            .unwrap_or(0);
        let mut mix = Vec::new();
        for i in 0..longest {
            mix.extend(combat.get(i).cloned().map(AnyEvent::Combat));
            mix.extend(economy.get(i).cloned().map(AnyEvent::Economy));
            mix.extend(social.get(i).cloned().map(AnyEvent::Social));
            mix.extend(system.get(i).cloned().map(AnyEvent::System));
        }
        mix
    }

    fn domain_index(&self) -> usize {
        match self {
            AnyEvent::Combat(_) => 0,
            AnyEvent::Economy(_) => 1,
            AnyEvent::Social(_) => 2,
            AnyEvent::System(_) => 3,
        }
    }

    /// A fresh id, stamped now, handed to the producer: detached, or with the delivery to
    /// wait for.
    fn send(&self, producer: &EventProducer, detached: bool) -> Option<PendingDelivery> {
        fn stamped<E: DomainEvents + Clone>(
            event: &E,
            producer: &EventProducer,
            detached: bool,
        ) -> Option<PendingDelivery> {
            let event = fresh(event);
            let enqueued = if detached {
                producer.enqueue_event_detached(&event).map(|()| None)
            } else {
                producer.enqueue_event(&event).map(Some)
            };
            enqueued.unwrap_or_else(|error| panic!("enqueue: {error}"))
        }
        match self {
            AnyEvent::Combat(e) => stamped(e, producer, detached),
            AnyEvent::Economy(e) => stamped(e, producer, detached),
            AnyEvent::Social(e) => stamped(e, producer, detached),
            AnyEvent::System(e) => stamped(e, producer, detached),
        }
    }

    /// What the bench itself does per event, beside the clients: this example copied with a
    /// fresh id and timestamp and dropped (as [`send`](Self::send) does), and the latency
    /// read (as the consumers' handlers do). Returns the latency read, in µs.
    fn bench_work(&self) -> u64 {
        fn made_and_read<E: DomainEvents + Clone>(event: &E) -> u64 {
            let event = std::hint::black_box(fresh(event));
            match read_now(event.timestamp()) {
                Read::Event { latency_us, .. } => latency_us,
                _ => 0,
            }
        }
        match self {
            AnyEvent::Combat(e) => made_and_read(e),
            AnyEvent::Economy(e) => made_and_read(e),
            AnyEvent::Social(e) => made_and_read(e),
            AnyEvent::System(e) => made_and_read(e),
        }
    }

    /// Encode (validated) and validated decode of this event, as producer and consumer do,
    /// combat events in `combat_format`, with the run's `headers`.
    fn encode_decode(&self, combat_format: WireFormat, headers: HeaderSet) -> usize {
        fn round<E: DomainEvents>(event: &E, format: WireFormat, headers: HeaderSet) -> usize {
            let options = RecordOptions {
                format,
                headers,
                ..RecordOptions::default()
            };
            let record = event.to_record_with(&options).expect("encodes");
            let decoded = E::decode_record(&record);
            decoded.map(|_| record.value.len()).unwrap_or(0)
        }
        match self {
            AnyEvent::Combat(e) => round(e, combat_format, headers),
            AnyEvent::Economy(e) => round(e, WireFormat::Json, headers),
            AnyEvent::Social(e) => round(e, WireFormat::Json, headers),
            AnyEvent::System(e) => round(e, WireFormat::Json, headers),
        }
    }
}

/// A copy of `event` with a fresh id, stamped now: the event the bench sends.
fn fresh<E: DomainEvents + Clone>(event: &E) -> E {
    event
        .clone()
        .with_event_id(Uuid::new_v4())
        .with_timestamp(Utc::now())
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Whether the environment variable `name` chooses `other` over `default` (unset: `default`);
/// any other value stops the bench, naming both.
fn env_switch(name: &str, default: &str, other: &str) -> bool {
    match std::env::var(name) {
        Err(_) => false,
        Ok(value) if value == default => false,
        Ok(value) if value == other => true,
        Ok(value) => panic!("{name}={value}: expected {default} or {other}"),
    }
}

/// The `key=value` pairs of the environment variable `name`, comma-separated.
fn properties(name: &str) -> Vec<(String, String)> {
    let list = std::env::var(name).unwrap_or_default();
    list.split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) => (key.trim().to_owned(), value.trim().to_owned()),
            None => panic!("{name}: `{pair}` is not key=value"),
        })
        .collect()
}

/// The run's settings, from the environment (see the module's documentation).
struct Settings {
    total: usize,
    rate: u64,
    fetch_wait_ms: Option<String>,
    compression: Option<String>,
    /// librdkafka properties set on every producer, after its defaults.
    producer_properties: Vec<(String, String)>,
    /// librdkafka properties set on every consumer, after its defaults.
    consumer_properties: Vec<(String, String)>,
    warm_up_seconds: u64,
    combat_format: WireFormat,
    peer: bool,
    /// The bare client is measured too.
    bare: bool,
    /// Our producer's deliveries detached (the default) or each waited for.
    detached: bool,
    /// Consumers, ours and the peer's: 4 (one per domain) or 1 (one for every domain).
    consumers: u64,
    /// The headers of our producer's records, and of the peer's.
    headers: HeaderSet,
    /// The peer is measured before ours, not after.
    peer_first: bool,
}

impl Settings {
    fn from_env() -> Settings {
        let fetch_wait_ms = std::env::var("KAFKA_LOAD_FETCH_WAIT_MS").ok();
        let compression = std::env::var("KAFKA_LOAD_COMPRESSION").ok();
        let producer_properties = compression
            .iter()
            .map(|codec| ("compression.type".to_owned(), codec.clone()))
            .chain(properties("KAFKA_LOAD_PRODUCER"))
            .collect();
        let consumer_properties = fetch_wait_ms
            .iter()
            .map(|wait| ("fetch.wait.max.ms".to_owned(), wait.clone()))
            .chain(properties("KAFKA_LOAD_CONSUMER"))
            .collect();
        Settings {
            total: env_number("KAFKA_LOAD_EVENTS", 1_000_000) as usize,
            rate: env_number("KAFKA_LOAD_RATE", 100_000).max(1),
            fetch_wait_ms,
            compression,
            producer_properties,
            consumer_properties,
            warm_up_seconds: env_number("KAFKA_LOAD_WARMUP_SECONDS", 30),
            combat_format: if env_switch("KAFKA_LOAD_COMBAT_FORMAT", "json", "binary") {
                WireFormat::Binary
            } else {
                WireFormat::Json
            },
            peer: env_number("KAFKA_LOAD_PEER", 1) != 0,
            bare: env_number("KAFKA_LOAD_BARE", 0) != 0,
            peer_first: env_switch("KAFKA_LOAD_ORDER", "ours-first", "peer-first"),
            headers: match std::env::var("KAFKA_LOAD_HEADERS").as_deref() {
                Err(_) | Ok("full") => HeaderSet::Full,
                Ok("lean") => HeaderSet::Lean,
                Ok("none") => HeaderSet::None,
                Ok(other) => panic!("KAFKA_LOAD_HEADERS={other}: expected full, lean or none"),
            },
            consumers: match env_number("KAFKA_LOAD_CONSUMERS", 4) {
                1 => 1,
                4 => 4,
                other => panic!("KAFKA_LOAD_CONSUMERS={other}: expected 1 or 4"),
            },
            detached: !env_switch("KAFKA_LOAD_DELIVERIES", "detached", "pending"),
        }
    }

    /// The peers to measure beside ours, in their order.
    fn peers(&self) -> Vec<peer::Codec> {
        [
            (self.peer, peer::Codec::SerdeJson),
            (self.bare, peer::Codec::Bare),
        ]
        .into_iter()
        .filter_map(|(wanted, codec)| wanted.then_some(codec))
        .collect()
    }
}

/// What one poll of a consumer thread read.
enum Read {
    /// An event: when it was sent (ms since the epoch) and how long it took (µs).
    Event { sent_ms: i64, latency_us: u64 },
    /// A record written to the dead-letter topic (ours) or that did not decode (the peer's).
    DeadLetter,
    /// Nothing within the poll's timeout.
    Nothing,
}

/// What a consumer thread reports: (send time in ms, latency in µs) of each event, and the
/// number of dead letters.
type Consumed = (Vec<(i64, u64)>, usize);

/// What a consumer thread shares with the run.
struct Handoff {
    ready: mpsc::Sender<()>,
    stop: Arc<AtomicBool>,
    done: mpsc::Sender<Consumed>,
    release: Arc<Barrier>,
}

/// Reads `expected` events with `read`; announces itself on `ready` after the first poll
/// (which joined the group), sends the result on `done`, then keeps the thread's consumer
/// (and its librdkafka threads) alive until `release`, so their CPU can be read per thread.
fn consume_loop(expected: usize, handoff: Handoff, mut read: impl FnMut() -> Read) {
    // Its pages are touched before the first poll: the latency records written during the run
    // (16 bytes per event) do not show as growth in the resident-memory samples.
    // (Not zeros: a zeroed allocation's pages are only mapped when first written.)
    let mut latencies = vec![(i64::MIN, u64::MAX); expected];
    latencies.clear();
    let mut dead_letters = 0;
    let mut announced = false;
    while latencies.len() + dead_letters < expected && !handoff.stop.load(Ordering::Relaxed) {
        match read() {
            Read::Event {
                sent_ms,
                latency_us,
            } => latencies.push((sent_ms, latency_us)),
            Read::DeadLetter => dead_letters += 1,
            Read::Nothing => {}
        }
        if !announced {
            announced = true;
            let _ = handoff.ready.send(());
        }
    }
    let _ = handoff.done.send((latencies, dead_letters));
    handoff.release.wait();
}

/// How long a record took from its envelope's timestamp to now.
fn read_now(sent: chrono::DateTime<Utc>) -> Read {
    // The wall clock as it is: `Utc::now` would make a calendar date of it.
    let latency = SystemTime::now()
        .duration_since(sent.into())
        .map_or(0, |age| u64::try_from(age.as_micros()).unwrap_or(u64::MAX));
    Read::Event {
        sent_ms: sent.timestamp_millis(),
        latency_us: latency,
    }
}

/// Consumes `expected` events of `E` (a domain's, or `GameEvent`: every domain's) with our
/// typed consumer in group `kafka-load-<name>`.
fn consume<E: DomainEvents>(name: &str, config: KafkaConfig, expected: usize, handoff: Handoff) {
    let group = format!("kafka-load-{name}");
    let consumer = EventConsumer::<E>::new(&config, ConsumerOptions::new(group))
        .unwrap_or_else(|error| panic!("consumer: {error}"));
    consume_loop(expected, handoff, || {
        let mut read = Read::Nothing;
        let polled = consumer.poll(Duration::from_millis(100), |received| {
            read = read_now(received.event.timestamp());
            Ok::<(), std::convert::Infallible>(())
        });
        match polled {
            Ok(Polled::DeadLettered { .. }) => Read::DeadLetter,
            Ok(_) => read,
            Err(error) => {
                eprintln!("{name}: {error}");
                Read::Nothing
            }
        }
    });
}

/// One consumer thread per domain of the mix, each reading its domain's events.
struct Consumers {
    stop: Arc<AtomicBool>,
    done: mpsc::Receiver<Consumed>,
    release: Arc<Barrier>,
    threads: Vec<thread::JoinHandle<()>>,
}

impl Consumers {
    /// Starts a thread per entry of `expected` running `body(index, events expected, handoff)`,
    /// and returns once each has polled and the group had 5 s to assign its partitions.
    fn start(
        expected: &[usize],
        body: impl Fn(usize, usize, Handoff) + Clone + Send + 'static,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = mpsc::channel();
        let (done_tx, done) = mpsc::channel();
        let release = Arc::new(Barrier::new(expected.len() + 1));
        let threads: Vec<_> = (0..expected.len())
            .map(|index| {
                let handoff = Handoff {
                    ready: ready_tx.clone(),
                    stop: Arc::clone(&stop),
                    done: done_tx.clone(),
                    release: Arc::clone(&release),
                };
                let body = body.clone();
                let count = expected[index];
                thread::Builder::new()
                    .name(format!("consume-{index}"))
                    .spawn(move || body(index, count, handoff))
                    .unwrap_or_else(|error| panic!("consumer thread: {error}"))
            })
            .collect();
        for _ in 0..threads.len() {
            let _ = ready_rx.recv();
        }
        thread::sleep(Duration::from_secs(5));
        Consumers {
            stop,
            done,
            release,
            threads,
        }
    }

    /// Every thread's events, waiting up to 120 s for them.
    fn collect(&self) -> Consumed {
        let watchdog = {
            let stop = Arc::clone(&self.stop);
            thread::spawn(move || {
                thread::sleep(Duration::from_secs(120));
                stop.store(true, Ordering::Relaxed);
            })
        };
        let mut latencies = Vec::new();
        let mut dead_letters = 0;
        for (mut domain, dead) in self.done.iter().take(self.threads.len()) {
            // The first thread's records are taken as they are: a copy of them would show in
            // the window's last resident-memory sample (as growth, when the allocator keeps
            // the freed original).
            if latencies.is_empty() {
                latencies = domain;
            } else {
                latencies.append(&mut domain);
            }
            dead_letters += dead;
        }
        drop(watchdog);
        (latencies, dead_letters)
    }

    /// Lets the threads close their consumers, and waits for them.
    fn close(self) {
        self.release.wait();
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

/// How long a client waits after its warm-up's last delivery before the clock starts: its
/// consumers drain the warm-up meanwhile.
const DRAIN_WARM_UP: Duration = Duration::from_secs(3);

/// How often the bench's confirming thread takes the deliveries handed over meanwhile.
const CONFIRM_EVERY: Duration = Duration::from_millis(5);

/// Calls `send(i)` for `i` in `0..count`, paced at `rate` per second.
fn send_paced(count: usize, rate: u64, mut send: impl FnMut(usize) -> bool) {
    let started = Instant::now();
    for i in 0..count {
        if i % 256 == 0 {
            let due = Duration::from_secs_f64(i as f64 / rate as f64);
            if let Some(ahead) = due.checked_sub(started.elapsed()) {
                thread::sleep(ahead);
            }
        }
        if !send(i) {
            break;
        }
    }
}

/// Sends the `i`-th event of the mix from its `first` through `producer`: each delivery to the
/// confirmer if there is one, else detached; `false` once the confirmer is gone.
fn sender<'a>(
    producer: &'a EventProducer,
    mix: &'a [AnyEvent],
    confirmer: Option<&'a mpsc::SyncSender<PendingDelivery>>,
    first: usize,
) -> impl FnMut(usize) -> bool + 'a {
    move |i| {
        let event = &mix[(first + i) % mix.len()];
        match (event.send(producer, confirmer.is_none()), confirmer) {
            (Some(pending), Some(confirmer)) => confirmer.send(pending).is_ok(),
            _ => true,
        }
    }
}

/// The confirming thread of the deliveries sent to it, and how many of them failed.
fn confirmer(pending: mpsc::Receiver<PendingDelivery>) -> thread::JoinHandle<usize> {
    thread::Builder::new()
        .name("confirm".into())
        .spawn(move || {
            // Every 5 ms, the deliveries handed over meanwhile: most are confirmed by then,
            // so waiting for them seldom parks this thread (a wake-up per record costs more
            // CPU than the rest of the delivery).
            let mut failed = 0usize;
            let mut batch = Vec::new();
            loop {
                thread::sleep(CONFIRM_EVERY);
                let open = loop {
                    match pending.try_recv() {
                        Ok(pending) => batch.push(pending),
                        Err(mpsc::TryRecvError::Empty) => break true,
                        Err(mpsc::TryRecvError::Disconnected) => break false,
                    }
                };
                for pending in batch.drain(..) {
                    if let Err(error) = pending.wait() {
                        failed += 1;
                        if failed <= 5 {
                            eprintln!("delivery: {error}");
                        }
                    }
                }
                if !open {
                    break failed;
                }
            }
        })
        .unwrap_or_else(|error| panic!("confirmer thread: {error}"))
}

/// Bytes of the log segments of the catalog's topics (not Kafka's internal ones).
fn catalog_bytes(broker: &Broker) -> u64 {
    broker.segment_bytes(|topic| topic.starts_with("game."))
}

/// How the producing side of a measured load went, timed from the window's start.
struct Produced {
    produced_in: Duration,
    confirmed_in: Duration,
    failed: usize,
}

/// The figures of one measured load.
struct Measured {
    produced: Produced,
    consumed_in: Duration,
    started_ms: i64,
    latencies: Vec<(i64, u64)>,
    dead_letters: usize,
    lost: usize,
    usage: Usage,
    stored: Option<u64>,
}

/// Measures the load `produce` sends (it is given the window's start) as `consumers` read
/// it; `expected` counts every event the consumers wait for (warm-up included).
fn measure(
    broker: Option<&Broker>,
    consumers: Consumers,
    expected: usize,
    left_out: HashSet<String>,
    produce: impl FnOnce(Instant) -> Produced,
) -> Measured {
    let stored_before = broker.map(catalog_bytes);
    let window = Window::open(
        broker.and_then(Broker::pid).map(|pid| pid.to_string()),
        left_out,
    );
    let started = Instant::now();
    let started_ms = Utc::now().timestamp_millis();
    let produced = produce(started);
    let (latencies, dead_letters) = consumers.collect();
    let consumed_in = started.elapsed();
    let usage = window.close();
    let stored = stored_before
        .zip(broker.map(catalog_bytes))
        .map(|(before, after)| after.saturating_sub(before));
    consumers.close();
    Measured {
        produced,
        consumed_in,
        started_ms,
        lost: expected.saturating_sub(latencies.len() + dead_letters),
        latencies,
        dead_letters,
        usage,
        stored,
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}

/// The latencies of the measured window's events, summarised.
struct Latency {
    received: usize,
    throughput: f64,
    p50: f64,
    p99: f64,
    p999: f64,
    /// The p99 (ms) of the events sent in each second: shows warm-up and stalls.
    per_second_p99: Vec<String>,
}

impl Measured {
    fn latency(&self) -> Latency {
        let seconds_run = (self.produced.produced_in.as_secs() + 1) as usize;
        let measured = || {
            self.latencies
                .iter()
                .filter(|(sent_ms, _)| *sent_ms >= self.started_ms)
        };
        let mut per_second: Vec<Vec<u64>> = vec![Vec::new(); seconds_run];
        for (sent_ms, latency) in measured() {
            let second = ((sent_ms - self.started_ms).max(0) / 1000) as usize;
            per_second[second.min(seconds_run - 1)].push(*latency);
        }
        let per_second_p99 = per_second
            .iter_mut()
            .map(|bucket| {
                bucket.sort_unstable();
                format!("{:.0}", percentile(bucket, 0.99))
            })
            .collect();
        let mut latencies: Vec<u64> = measured().map(|(_, latency)| *latency).collect();
        latencies.sort_unstable();
        Latency {
            received: latencies.len(),
            throughput: latencies.len() as f64 / self.consumed_in.as_secs_f64(),
            p50: percentile(&latencies, 0.50),
            p99: percentile(&latencies, 0.99),
            p999: percentile(&latencies, 0.999),
            per_second_p99,
        }
    }

    /// This process's CPU per event of the window, in µs.
    fn cpu_per_event(&self, total: usize) -> Option<f64> {
        self.usage.own_cpu.map(|own| own / total as f64 * 1e6)
    }

    /// The run's lines before the table.
    fn print_summary(&self, total: usize) {
        let latency = self.latency();
        let produced = &self.produced;
        println!(
            "  produced in {:.1} s ({:.0}/s), all confirmed after {:.1} s ({} failed)",
            produced.produced_in.as_secs_f64(),
            total as f64 / produced.produced_in.as_secs_f64(),
            produced.confirmed_in.as_secs_f64(),
            produced.failed,
        );
        println!(
            "  consumed {} (+{} dead letters) in {:.1} s",
            latency.received,
            self.dead_letters,
            self.consumed_in.as_secs_f64()
        );
        println!(
            "  p99 (ms) of the events sent in each second: {}",
            latency.per_second_p99.join(" ")
        );
        if let Some(memory) = self.usage.memory_summary() {
            println!(
                "  resident memory of this process (MiB, every 0.5 s): start {:.0}, middle {:.0}, end {:.0}, peak {:.0}",
                memory.start, memory.middle, memory.end, memory.peak
            );
        }
        println!(
            "{}",
            thread_groups_line("broker", &self.usage.broker_threads)
        );
        println!(
            "{}",
            thread_groups_line("this process", &self.usage.own_threads)
        );
        println!(
            "  left out of this process's CPU: threads running before the client started, {:.2} s",
            self.usage.left_out_cpu.max(0.0)
        );
    }
}

fn seconds(cpu: Option<f64>) -> String {
    cpu.map_or("n/a".to_owned(), |s| format!("{s:.1} s"))
}

/// Runs our client: its consumers and producer started, `warm_up_seconds` of the load through
/// them (after every example once: connections, producer id, metadata), then the measured
/// load, without the threads `left_out`; the clients are closed when it returns.
fn measure_ours(
    settings: &Settings,
    config: &KafkaConfig,
    broker: Option<&Broker>,
    mix: &[AnyEvent],
    warm_up_seconds: u64,
    left_out: HashSet<String>,
) -> Measured {
    let total = settings.total;
    let rate = settings.rate;
    let warm_up = (warm_up_seconds * rate) as usize;
    let consumers = settings.consumers as usize;
    let mut expected = vec![0usize; consumers];
    for event in mix
        .iter()
        .chain((0..warm_up + total).map(|i| &mix[i % mix.len()]))
    {
        expected[event.domain_index() % consumers] += 1;
    }
    let one_consumer = consumers == 1;

    // Consumers first, joined before the load starts.
    let mut consumer_config = config.clone().set("session.timeout.ms", "6000");
    for (key, value) in &settings.consumer_properties {
        consumer_config = consumer_config.set(key.clone(), value.clone());
    }
    let consumers = Consumers::start(&expected, move |index, count, handoff| {
        let config = consumer_config.clone();
        match index {
            _ if one_consumer => consume::<GameEvent>("all", config, count, handoff),
            0 => consume::<CombatEvent>("combat", config, count, handoff),
            1 => consume::<EconomyEvent>("economy", config, count, handoff),
            2 => consume::<SocialEvent>("social", config, count, handoff),
            _ => consume::<SystemEvent>("system", config, count, handoff),
        }
    });

    let mut producer_config = config.clone();
    for (key, value) in &settings.producer_properties {
        producer_config = producer_config.set(key.clone(), value.clone());
    }
    // The examples' personal data is fictitious: it goes in clear, as before.
    let failed_detached = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&failed_detached);
    let producer = EventProducer::new(&producer_config)
        .unwrap_or_else(|error| panic!("{error}"))
        .allow_clear_personal_data()
        .with_domain_wire_format("combat", settings.combat_format)
        .with_header_set(settings.headers)
        .with_delivery_failure_handler(move |error| {
            if counted.fetch_add(1, Ordering::Relaxed) < 5 {
                eprintln!("delivery: {error}");
            }
        });
    for event in mix {
        if let Some(pending) = event.send(&producer, false) {
            pending
                .wait()
                .unwrap_or_else(|error| panic!("warm-up: {error}"));
        }
    }
    // Deliveries waited for by a thread of their own, or detached (the default).
    let (pending_tx, confirming) = if settings.detached {
        (None, None)
    } else {
        let (sender, receiver) = mpsc::sync_channel::<PendingDelivery>(100_000);
        (Some(sender), Some(confirmer(receiver)))
    };
    send_paced(
        warm_up,
        rate,
        sender(&producer, mix, pending_tx.as_ref(), 0),
    );
    producer
        .flush(Duration::from_secs(60))
        .unwrap_or_else(|error| panic!("warm-up: {error}"));
    thread::sleep(DRAIN_WARM_UP);
    measure(
        broker,
        consumers,
        expected.iter().sum(),
        left_out,
        |started| {
            send_paced(
                total,
                rate,
                sender(&producer, mix, pending_tx.as_ref(), warm_up),
            );
            let produced_in = started.elapsed();
            drop(pending_tx);
            let mut failed = confirming.map_or(0, |thread| thread.join().unwrap_or(usize::MAX));
            if let Err(error) = producer.flush(Duration::from_secs(60)) {
                eprintln!("flush: {error}");
            }
            failed += failed_detached.load(Ordering::Relaxed);
            Produced {
                produced_in,
                confirmed_in: started.elapsed(),
                failed,
            }
        },
    )
}

fn main() {
    let settings = Settings::from_env();
    let total = settings.total;
    let rate = settings.rate;
    let (broker, bootstrap) = match std::env::var("KAFKA_LOAD_BOOTSTRAP") {
        Ok(bootstrap) => (None, bootstrap),
        Err(_) => {
            let broker = Broker::start().unwrap_or_else(|error| panic!("{error}"));
            let bootstrap = broker.bootstrap();
            (Some(broker), bootstrap)
        }
    };
    let config = KafkaConfig::new(bootstrap.clone());
    let catalog_topics = topic_configs(event_domains::catalog().events());
    let mut topics =
        with_dead_letter_topics(catalog_topics.clone(), event_kafka::DEAD_LETTER_SUFFIX);
    for codec in settings.peers() {
        topics.extend(with_topic_suffix(catalog_topics.clone(), codec.suffix()));
    }
    if settings.compression.is_some() {
        // The catalog's topics store lz4 and would recompress another codec; to measure the
        // codec itself, the broker keeps each batch as the producer sent it.
        set_topic_setting(&mut topics, "compression.type", "producer");
    }
    let options = ProvisionOptions {
        replication_factor: Some(1),
        ..ProvisionOptions::default()
    };
    provision(&config, &topics, &options).unwrap_or_else(|error| panic!("{error}"));

    let mix = AnyEvent::mix();
    // One client at a time, each started once the one before it is closed: an idle client
    // still polls (its consumer's fetch waits `fetch.wait.max.ms` at the broker, then asks
    // again), and the measured one would pay for that on these two cores. The first client
    // warms the broker (its JIT compiles the hot paths: 8–13 CPU-seconds of C2 compiler
    // threads in the first 20 s, p99 falling from 60 to 16 ms meanwhile); each later one warms
    // itself for a third of that on the warm broker.
    let (peers_before, peers_after) = if settings.peer_first {
        (settings.peers(), Vec::new())
    } else {
        (Vec::new(), settings.peers())
    };
    let main_thread = std::process::id().to_string();
    let warm_up_seconds = |position: usize| {
        if position == 0 {
            settings.warm_up_seconds
        } else {
            settings.warm_up_seconds / 3
        }
    };
    // Any thread of this process running before a client starts (one a closed client has not
    // yet ended) is left out of the client's CPU.
    let lingering = || {
        let mut threads = process::thread_ids();
        threads.remove(&main_thread);
        threads
    };
    // The peers `codecs`, measured in turn from the run's `first` client on.
    let measure_peers = |codecs: Vec<peer::Codec>, first: usize| {
        codecs
            .into_iter()
            .zip(first..)
            .map(|(codec, position)| {
                let warm_up_seconds = warm_up_seconds(position);
                let left_out = lingering();
                let peer = peer::Peer::start(&bootstrap, &settings, codec, warm_up_seconds);
                (
                    codec,
                    warm_up_seconds,
                    peer.measure(broker.as_ref(), left_out),
                )
            })
            .collect::<Vec<_>>()
    };
    let ours_position = peers_before.len();
    let mut measured_peers = measure_peers(peers_before, 0);
    let ours_warm_up_seconds = warm_up_seconds(ours_position);
    let ours = measure_ours(
        &settings,
        &config,
        broker.as_ref(),
        &mix,
        ours_warm_up_seconds,
        lingering(),
    );
    measured_peers.extend(measure_peers(peers_after, ours_position + 1));

    // The codec's share: encode + validated decode of the same mix on one thread.
    let codec_events = total.min(200_000);
    let codec_started = Instant::now();
    let mut bytes = 0usize;
    for i in 0..codec_events {
        bytes += mix[i % mix.len()].encode_decode(settings.combat_format, settings.headers);
    }
    let codec_per_event = codec_started.elapsed().as_secs_f64() / codec_events as f64;
    // The bench's own share: making each event and reading its latency, on one thread.
    let bench_started = Instant::now();
    let mut read_us = 0u64;
    for i in 0..codec_events {
        read_us = read_us.wrapping_add(mix[i % mix.len()].bench_work());
    }
    std::hint::black_box(read_us);
    let bench_per_event = bench_started.elapsed().as_secs_f64() / codec_events as f64;

    println!(
        "kafka-load: {total} mixed events offered at {rate}/s to {bootstrap} after {ours_warm_up_seconds} s of warm-up (combat events as {}, {:?} headers, {} consumer(s), {} measured first, one client at a time, compression.type={}, fetch.wait.max.ms={}, producers {:?}, consumers {:?})",
        match settings.combat_format {
            WireFormat::Json => "JSON",
            WireFormat::Binary => "binary records",
        },
        settings.headers,
        settings.consumers,
        if settings.peer_first { "the peers" } else { "ours" },
        settings.compression.as_deref().unwrap_or("lz4, the default"),
        settings.fetch_wait_ms.as_deref().unwrap_or("librdkafka's default"),
        settings.producer_properties,
        settings.consumer_properties,
    );
    ours.print_summary(total);

    for (codec, warm_up_seconds, measured) in &measured_peers {
        println!(
            "the same load through {}, after {warm_up_seconds} s of warm-up:",
            codec.describe(),
        );
        measured.print_summary(total);
    }

    let latency = ours.latency();
    println!();
    println!("| measure | target | measured |");
    println!("|---|---|---|");
    println!(
        "| sustained end-to-end throughput | 100 000 events/s | {:.0} events/s |",
        latency.throughput
    );
    println!("| end-to-end latency p50 | | {:.1} ms |", latency.p50);
    println!(
        "| end-to-end latency p99 | < 50 ms | {:.1} ms |",
        latency.p99
    );
    println!("| end-to-end latency p999 | | {:.1} ms |", latency.p999);
    println!("| events lost (sent − received) | 0 | {} |", ours.lost);
    println!("| CPU: broker | | {} |", seconds(ours.usage.broker_cpu));
    println!(
        "| CPU: this process (producer, consumers, librdkafka) | | {} |",
        seconds(ours.usage.own_cpu)
    );
    println!(
        "| CPU: of which encode + validated decode | | {:.1} s ({:.2} µs/event, {} B/event) |",
        codec_per_event * total as f64,
        codec_per_event * 1e6,
        bytes / codec_events.max(1)
    );
    println!(
        "| CPU: of which the bench's own work (each example copied with a fresh id and timestamp, then dropped; the latency read) | | {:.1} s ({:.2} µs/event) |",
        bench_per_event * total as f64,
        bench_per_event * 1e6,
    );
    println!(
        "| CPU stolen by the host (other guests) during the run | 0 | {} |",
        seconds(ours.usage.stolen)
    );
    let ours_per_event = ours.cpu_per_event(total);
    if let Some(per_event) = ours_per_event {
        println!(
            "| CPU of this process per event (produce + consume) | ≤ 5 µs | {per_event:.1} µs |"
        );
    }
    if let Some(memory) = ours.usage.memory_summary() {
        println!(
            "| resident memory of this process through the window: start → middle → end (peak) | flat | {:.0} → {:.0} → {:.0} MiB ({:.0}) |",
            memory.start, memory.middle, memory.end, memory.peak
        );
    }
    for (codec, _, peer) in &measured_peers {
        let latency = peer.latency();
        let name = codec.short();
        println!(
            "| the same with {name}: throughput, p99, lost | | {:.0} events/s, {:.1} ms, {} |",
            latency.throughput, latency.p99, peer.lost
        );
        if let (Some(ours), Some(theirs)) = (ours_per_event, peer.cpu_per_event(total)) {
            println!(
                "| the same with {name}: CPU per event (ours ÷ it) | | {theirs:.1} µs ({:.2}×) |",
                ours / theirs
            );
        }
        if let Some(stored) = peer.stored {
            println!(
                "| the same with {name}: bytes stored by the broker per event | | {:.0} B |",
                stored as f64 / total as f64
            );
        }
    }
    if let Some(stored) = ours.stored {
        println!(
            "| bytes stored by the broker per event (log segments) | | {:.0} B |",
            stored as f64 / total as f64
        );
    }
    drop(broker);
}
