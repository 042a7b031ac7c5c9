//! `cargo bench --bench kafka_load`: sustained produce → consume of mixed catalog events
//! through a real broker, with the end-to-end latency of every event (envelope timestamp set
//! just before the send, read in the consumer's handler) and where the CPU time went.
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
//! starts (the broker's JIT compiler needs it); `KAFKA_LOAD_COMBAT_FORMAT=binary` writes the
//! combat domain's events as binary records (`WireFormat::Binary`) instead of JSON, the other
//! domains staying JSON (run it once each way to compare).
//!
//! Besides throughput and latency it reports the CPU seconds of the broker's JVM and of this
//! process, each split by thread (from `/proc/<pid>/task`), and the bytes the broker stored.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use event_core::codec::{DomainEvents, RecordOptions, WireFormat};
use event_domains::{CombatEvent, EconomyEvent, SocialEvent, SystemEvent};
use event_kafka::{
    provision, with_dead_letter_topics, ConsumerOptions, EventConsumer, EventProducer, KafkaConfig,
    PendingDelivery, Polled, ProvisionOptions,
};
use event_tools::export::topic_configs;
use kafka_events_tests::broker::Broker;
use kafka_events_tests::kafka::{own_examples, set_topic_setting};
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
        let longest = combat.len();
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

    /// A fresh id, stamped now, handed to the producer.
    fn send(&self, producer: &EventProducer) -> PendingDelivery {
        fn stamped<E: DomainEvents + Clone>(
            event: &E,
            producer: &EventProducer,
        ) -> PendingDelivery {
            let event = event
                .clone()
                .with_event_id(Uuid::new_v4())
                .with_timestamp(Utc::now());
            producer
                .enqueue_event(&event)
                .unwrap_or_else(|error| panic!("enqueue: {error}"))
        }
        match self {
            AnyEvent::Combat(e) => stamped(e, producer),
            AnyEvent::Economy(e) => stamped(e, producer),
            AnyEvent::Social(e) => stamped(e, producer),
            AnyEvent::System(e) => stamped(e, producer),
        }
    }

    /// Encode (validated) and validated decode of this event, as producer and consumer do,
    /// combat events in `combat_format`.
    fn encode_decode(&self, combat_format: WireFormat) -> usize {
        fn round<E: DomainEvents>(event: &E, format: WireFormat) -> usize {
            let options = RecordOptions {
                format,
                ..RecordOptions::default()
            };
            let record = event.to_record_with(&options).expect("encodes");
            let decoded = E::decode_record(&record);
            decoded.map(|_| record.value.len()).unwrap_or(0)
        }
        match self {
            AnyEvent::Combat(e) => round(e, combat_format),
            AnyEvent::Economy(e) => round(e, WireFormat::Json),
            AnyEvent::Social(e) => round(e, WireFormat::Json),
            AnyEvent::System(e) => round(e, WireFormat::Json),
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// CPU seconds (user + system) in a `/proc/…/stat` file; `None` off Linux.
fn stat_cpu_seconds(path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(path).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// CPU seconds (user + system) of a process.
fn cpu_seconds(pid: &str) -> Option<f64> {
    stat_cpu_seconds(&format!("/proc/{pid}/stat"))
}

/// CPU seconds the hypervisor gave to other guests while this machine wanted them ("steal",
/// all cores), from `/proc/stat`: a run with much of it was measured on a noisy host.
/// The resident memory of this process, in MiB (`VmRSS` of `/proc/self/status`).
fn resident_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Samples [`resident_mib`] every 500 ms until `stop`; the samples.
fn sample_memory(stop: Arc<AtomicBool>) -> thread::JoinHandle<Vec<f64>> {
    thread::spawn(move || {
        let mut samples = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            samples.extend(resident_mib());
            thread::sleep(Duration::from_millis(500));
        }
        samples.extend(resident_mib());
        samples
    })
}

fn stolen_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().next()?.split_whitespace().collect::<Vec<_>>();
    Some(cpu.get(8)?.parse::<f64>().ok()? / 100.0)
}

/// CPU seconds of each thread of a process, by thread id, with the thread's name.
fn thread_cpu(pid: &str) -> HashMap<String, (String, f64)> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return HashMap::new();
    };
    tasks
        .flatten()
        .filter_map(|task| {
            let tid = task.file_name().to_string_lossy().into_owned();
            let name = std::fs::read_to_string(task.path().join("comm")).ok()?;
            let seconds = stat_cpu_seconds(&task.path().join("stat").to_string_lossy())?;
            Some((tid, (name.trim().to_owned(), seconds)))
        })
        .collect()
}

/// The CPU each group of threads used between two [`thread_cpu`] readings, largest first;
/// threads are grouped by name without trailing digits (`rdk:broker1` → `rdk:broker…`).
fn cpu_by_thread_group(
    before: &HashMap<String, (String, f64)>,
    after: &HashMap<String, (String, f64)>,
) -> Vec<(String, f64)> {
    let mut groups: HashMap<String, f64> = HashMap::new();
    for (tid, (name, seconds)) in after {
        let earlier = before.get(tid).map_or(0.0, |(_, seconds)| *seconds);
        let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-');
        let group = if trimmed.len() < name.len() {
            format!("{trimmed}…")
        } else {
            name.clone()
        };
        *groups.entry(group).or_default() += seconds - earlier;
    }
    let mut groups: Vec<(String, f64)> = groups.into_iter().filter(|(_, s)| *s >= 0.05).collect();
    groups.sort_by(|a, b| b.1.total_cmp(&a.1));
    groups
}

fn print_thread_groups(process: &str, groups: &[(String, f64)]) {
    let listed: Vec<String> = groups
        .iter()
        .take(10)
        .map(|(name, seconds)| format!("{name} {seconds:.1} s"))
        .collect();
    println!("  CPU by thread, {process}: {}", listed.join(", "));
}

/// Consumes `expected` events of domain `E`, recording each one's send time (ms since the
/// epoch) and latency (µs).
/// What a consumer thread reports: (send time in ms, latency in µs) of each event, and the
/// number of dead letters.
type Consumed = (Vec<(i64, u64)>, usize);

/// Consumes `expected` events of domain `E`, recording each one's send time (ms since the
/// epoch) and latency (µs); sends the result on `done`, then keeps its consumer (and its
/// librdkafka threads) alive until `release`, so their CPU can be read per thread.
fn consume<E: DomainEvents>(
    config: KafkaConfig,
    expected: usize,
    ready: mpsc::Sender<()>,
    stop: Arc<AtomicBool>,
    done: mpsc::Sender<Consumed>,
    release: Arc<Barrier>,
) {
    let group = format!("kafka-load-{}", E::DOMAIN);
    let consumer = EventConsumer::<E>::new(&config, ConsumerOptions::new(group))
        .unwrap_or_else(|error| panic!("consumer: {error}"));
    let mut latencies = Vec::with_capacity(expected);
    let mut dead_letters = 0;
    let mut announced = false;
    while latencies.len() + dead_letters < expected && !stop.load(Ordering::Relaxed) {
        let polled = consumer.poll(Duration::from_millis(100), |received| {
            let sent = received.event.timestamp();
            let latency = (Utc::now() - sent).num_microseconds().unwrap_or(i64::MAX);
            latencies.push((sent.timestamp_millis(), latency.max(0) as u64));
            Ok::<(), std::convert::Infallible>(())
        });
        match polled {
            Ok(Polled::DeadLettered { .. }) => dead_letters += 1,
            Ok(_) => {}
            Err(error) => eprintln!("{}: {error}", E::DOMAIN),
        }
        if !announced {
            // The first poll joined the group; assignment follows within the session timeout.
            announced = true;
            let _ = ready.send(());
        }
    }
    let _ = done.send((latencies, dead_letters));
    release.wait();
}

/// Sends `count` events of the mix, starting at its `first`, paced at `rate` per second;
/// each delivery goes to the confirmer.
fn send_paced(
    producer: &EventProducer,
    mix: &[AnyEvent],
    first: usize,
    count: usize,
    rate: u64,
    confirmer: &mpsc::SyncSender<PendingDelivery>,
) {
    let started = Instant::now();
    for i in 0..count {
        if i % 256 == 0 {
            let due = Duration::from_secs_f64(i as f64 / rate as f64);
            if let Some(ahead) = due.checked_sub(started.elapsed()) {
                thread::sleep(ahead);
            }
        }
        let pending = mix[(first + i) % mix.len()].send(producer);
        if confirmer.send(pending).is_err() {
            break;
        }
    }
}

/// Bytes of the log segments of the catalog's topics (not Kafka's internal ones).
fn catalog_bytes(broker: &Broker) -> u64 {
    broker.segment_bytes(|topic| topic.starts_with("game."))
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}

fn main() {
    let total = env_number("KAFKA_LOAD_EVENTS", 1_000_000) as usize;
    let rate = env_number("KAFKA_LOAD_RATE", 100_000).max(1);
    let fetch_wait_ms = std::env::var("KAFKA_LOAD_FETCH_WAIT_MS").ok();
    let compression = std::env::var("KAFKA_LOAD_COMPRESSION").ok();
    let warm_up_seconds = env_number("KAFKA_LOAD_WARMUP_SECONDS", 30);
    let warm_up = (warm_up_seconds * rate) as usize;
    let combat_format = match std::env::var("KAFKA_LOAD_COMBAT_FORMAT").as_deref() {
        Ok("binary") => WireFormat::Binary,
        Ok("json") | Err(_) => WireFormat::Json,
        Ok(other) => panic!("KAFKA_LOAD_COMBAT_FORMAT={other}: expected json or binary"),
    };
    let (broker, bootstrap) = match std::env::var("KAFKA_LOAD_BOOTSTRAP") {
        Ok(bootstrap) => (None, bootstrap),
        Err(_) => {
            let broker = Broker::start().unwrap_or_else(|error| panic!("{error}"));
            let bootstrap = broker.bootstrap();
            (Some(broker), bootstrap)
        }
    };
    let config = KafkaConfig::new(bootstrap.clone());
    let mut topics = with_dead_letter_topics(
        topic_configs(event_domains::catalog().events()),
        event_kafka::DEAD_LETTER_SUFFIX,
    );
    if compression.is_some() {
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
    let mut expected = [0usize; 4];
    // Every example once (connections, producer id, metadata), then a warm-up at the offered
    // rate (the broker's JIT compiles its hot paths: 8–13 CPU-seconds of C2 compiler threads
    // in the first 20 s, p99 falling from 60 to 16 ms meanwhile), then the measured load.
    for event in mix
        .iter()
        .chain((0..warm_up + total).map(|i| &mix[i % mix.len()]))
    {
        expected[event.domain_index()] += 1;
    }

    // Consumers first, joined before the load starts.
    let mut consumer_config = config.clone().set("session.timeout.ms", "6000");
    if let Some(wait) = &fetch_wait_ms {
        consumer_config = consumer_config.set("fetch.wait.max.ms", wait.clone());
    }
    let stop = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    let release = Arc::new(Barrier::new(5));
    let spawn = |index: usize| {
        let config = consumer_config.clone();
        let ready = ready_tx.clone();
        let stop = Arc::clone(&stop);
        let done = done_tx.clone();
        let release = Arc::clone(&release);
        let count = expected[index];
        thread::Builder::new()
            .name(format!("consume-{index}"))
            .spawn(move || match index {
                0 => consume::<CombatEvent>(config, count, ready, stop, done, release),
                1 => consume::<EconomyEvent>(config, count, ready, stop, done, release),
                2 => consume::<SocialEvent>(config, count, ready, stop, done, release),
                _ => consume::<SystemEvent>(config, count, ready, stop, done, release),
            })
            .unwrap_or_else(|error| panic!("consumer thread: {error}"))
    };
    let consumers: Vec<_> = (0..4).map(spawn).collect();
    for _ in 0..4 {
        let _ = ready_rx.recv();
    }
    thread::sleep(Duration::from_secs(5));

    let own_pid = std::process::id().to_string();
    let broker_pid = broker
        .as_ref()
        .and_then(Broker::pid)
        .map(|pid| pid.to_string());
    let mut producer_config = config.clone();
    if let Some(codec) = &compression {
        producer_config = producer_config.set("compression.type", codec.clone());
    }
    // The examples' personal data is fictitious: it goes in clear, as before.
    let producer = EventProducer::new(&producer_config)
        .unwrap_or_else(|error| panic!("{error}"))
        .allow_clear_personal_data()
        .with_domain_wire_format("combat", combat_format);
    let first: Vec<PendingDelivery> = mix.iter().map(|event| event.send(&producer)).collect();
    for pending in first {
        pending
            .wait()
            .unwrap_or_else(|error| panic!("warm-up: {error}"));
    }
    let (pending_tx, pending_rx) = mpsc::sync_channel::<PendingDelivery>(100_000);
    let confirmer = thread::Builder::new()
        .name("confirm".into())
        .spawn(move || {
            let mut failed = 0usize;
            for pending in pending_rx {
                if let Err(error) = pending.wait() {
                    failed += 1;
                    if failed <= 5 {
                        eprintln!("delivery: {error}");
                    }
                }
            }
            failed
        })
        .unwrap_or_else(|error| panic!("confirmer thread: {error}"));
    send_paced(&producer, &mix, 0, warm_up, rate, &pending_tx);
    // Let the consumers drain the warm-up before the clock starts.
    producer
        .flush(Duration::from_secs(60))
        .unwrap_or_else(|error| panic!("warm-up: {error}"));
    thread::sleep(Duration::from_secs(3));

    let stored_before = broker.as_ref().map(catalog_bytes);
    let own_cpu_before = cpu_seconds(&own_pid);
    let broker_cpu_before = broker_pid.as_deref().and_then(cpu_seconds);
    let own_threads_before = thread_cpu(&own_pid);
    let stolen_before = stolen_seconds();
    let broker_threads_before = broker_pid.as_deref().map(thread_cpu).unwrap_or_default();
    let memory_stop = Arc::new(AtomicBool::new(false));
    let memory = sample_memory(Arc::clone(&memory_stop));
    let started = Instant::now();
    let started_ms = Utc::now().timestamp_millis();
    send_paced(&producer, &mix, warm_up, total, rate, &pending_tx);
    let produced_in = started.elapsed();
    drop(pending_tx);
    let failed = confirmer.join().unwrap_or(usize::MAX);
    let confirmed_in = started.elapsed();

    let watchdog = {
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            thread::sleep(Duration::from_secs(120));
            stop.store(true, Ordering::Relaxed);
        })
    };
    let mut latencies = Vec::with_capacity(total);
    let mut dead_letters = 0;
    drop(done_tx);
    for (mut domain, dead) in done_rx.iter().take(consumers.len()) {
        latencies.append(&mut domain);
        dead_letters += dead;
    }
    let consumed_in = started.elapsed();
    drop(watchdog);
    memory_stop.store(true, Ordering::Relaxed);
    let memory = memory.join().unwrap_or_default();
    let own_cpu = own_cpu_before
        .zip(cpu_seconds(&own_pid))
        .map(|(a, b)| b - a);
    let broker_cpu = broker_cpu_before
        .zip(broker_pid.as_deref().and_then(cpu_seconds))
        .map(|(a, b)| b - a);
    let stolen = stolen_before.zip(stolen_seconds()).map(|(a, b)| b - a);
    let own_threads = cpu_by_thread_group(&own_threads_before, &thread_cpu(&own_pid));
    let broker_threads = broker_pid
        .as_deref()
        .map(|pid| cpu_by_thread_group(&broker_threads_before, &thread_cpu(pid)))
        .unwrap_or_default();
    let stored = stored_before
        .zip(broker.as_ref().map(catalog_bytes))
        .map(|(before, after)| after.saturating_sub(before));
    // Read: the consumers may close now.
    release.wait();
    for consumer in consumers {
        let _ = consumer.join();
    }

    // The codec's share: encode + validated decode of the same mix on one thread.
    let codec_events = total.min(200_000);
    let codec_started = Instant::now();
    let mut bytes = 0usize;
    for i in 0..codec_events {
        bytes += mix[i % mix.len()].encode_decode(combat_format);
    }
    let codec_per_event = codec_started.elapsed().as_secs_f64() / codec_events as f64;

    // Lost: everything the consumers were expecting (warm-up included) and did not get.
    let lost = expected
        .iter()
        .sum::<usize>()
        .saturating_sub(latencies.len() + dead_letters);

    // p99 of the events sent in each second of the run: shows warm-up and stalls.
    let seconds_run = (produced_in.as_secs() + 1) as usize;
    let mut per_second: Vec<Vec<u64>> = vec![Vec::new(); seconds_run];
    for (sent_ms, latency) in latencies
        .iter()
        .filter(|(sent_ms, _)| *sent_ms >= started_ms)
    {
        let second = ((sent_ms - started_ms).max(0) / 1000) as usize;
        per_second[second.min(seconds_run - 1)].push(*latency);
    }
    let per_second_p99: Vec<String> = per_second
        .iter_mut()
        .map(|bucket| {
            bucket.sort_unstable();
            format!("{:.0}", percentile(bucket, 0.99))
        })
        .collect();
    let mut latencies: Vec<u64> = latencies
        .into_iter()
        .filter(|(sent_ms, _)| *sent_ms >= started_ms)
        .map(|(_, latency)| latency)
        .collect();
    latencies.sort_unstable();
    let received = latencies.len();
    let throughput = received as f64 / consumed_in.as_secs_f64();
    let p50 = percentile(&latencies, 0.50);
    let p99 = percentile(&latencies, 0.99);
    let p999 = percentile(&latencies, 0.999);
    let seconds = |cpu: Option<f64>| cpu.map_or("n/a".to_owned(), |s| format!("{s:.1} s"));

    println!(
        "kafka-load: {total} mixed events offered at {rate}/s to {bootstrap} after {warm_up_seconds} s of warm-up (combat events as {}, compression.type={}, fetch.wait.max.ms={})",
        match combat_format {
            WireFormat::Json => "JSON",
            WireFormat::Binary => "binary records",
        },
        compression.as_deref().unwrap_or("lz4, the default"),
        fetch_wait_ms.as_deref().unwrap_or("librdkafka's default")
    );
    println!(
        "  produced in {:.1} s ({:.0}/s), all confirmed after {:.1} s ({failed} failed)",
        produced_in.as_secs_f64(),
        total as f64 / produced_in.as_secs_f64(),
        confirmed_in.as_secs_f64()
    );
    println!(
        "  consumed {received} (+{dead_letters} dead letters) in {:.1} s",
        consumed_in.as_secs_f64()
    );
    println!(
        "  p99 (ms) of the events sent in each second: {}",
        per_second_p99.join(" ")
    );
    if let (Some(first), Some(last)) = (memory.first(), memory.last()) {
        let peak = memory.iter().copied().fold(0.0, f64::max);
        let half = memory.len() / 2;
        println!(
            "  resident memory of this process (MiB, every 0.5 s): start {first:.0}, middle {:.0}, end {last:.0}, peak {peak:.0}",
            memory[half]
        );
    }
    print_thread_groups("broker", &broker_threads);
    print_thread_groups("this process", &own_threads);
    println!();
    println!("| measure | target | measured |");
    println!("|---|---|---|");
    println!("| sustained end-to-end throughput | 100 000 events/s | {throughput:.0} events/s |");
    println!("| end-to-end latency p50 | | {p50:.1} ms |");
    println!("| end-to-end latency p99 | < 50 ms | {p99:.1} ms |");
    println!("| end-to-end latency p999 | | {p999:.1} ms |");
    println!("| events lost (sent − received) | 0 | {} |", lost);
    println!("| CPU: broker | | {} |", seconds(broker_cpu));
    println!(
        "| CPU: this process (producer, 4 consumers, librdkafka) | | {} |",
        seconds(own_cpu)
    );
    println!(
        "| CPU: of which encode + validated decode | | {:.1} s ({:.2} µs/event, {} B/event) |",
        codec_per_event * total as f64,
        codec_per_event * 1e6,
        bytes / codec_events.max(1)
    );
    println!(
        "| CPU stolen by the host (other guests) during the run | 0 | {} |",
        seconds(stolen)
    );
    if let Some(own) = own_cpu {
        println!(
            "| CPU of this process per event (produce + consume) | ≤ 5 µs | {:.1} µs |",
            own / total as f64 * 1e6
        );
    }
    if let Some(stored) = stored {
        println!(
            "| bytes stored by the broker per event (log segments) | | {:.0} B |",
            stored as f64 / total as f64
        );
    }
    drop(broker);
}
