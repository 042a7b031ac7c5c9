//! `cargo bench --bench latency`: the figures of the README's performance table, measured in
//! one run: speed ratios against each peer (peer time / our time, so ≥ 1.0× means at least
//! as fast), the latency distribution of encode + validated decode over 1 M events, and the
//! per-event cost of schema generation and of the snapshot gate, and what the clients' metrics
//! and spans add to the produce and consume paths (the consume path against Apache Kafka's
//! broker, started from the test harness's jars).

#[path = "latency/codec_table.rs"]
mod codec_table;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use event_core::binary::Binary;
use event_core::catalog::Example;
use event_core::Envelope;
use event_domains::combat::{CombatSessionStart, PlayerAttack};
use event_domains::system::AuditRecorded;
use event_tools::snapshot::{gate, CurrentEvent, SnapshotStore};
use kafka_events_benches::{
    example_bytes, Fixture, PlainAttack, PlainAudit, PlainEnvelope, PlainSessionStart,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Median time per call of `run`, over 11 batches sized to take about 40 ms each.
fn time_per_call(mut run: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut calibration = 0u32;
    while start.elapsed() < Duration::from_millis(20) {
        run();
        calibration += 1;
    }
    let per_batch = (calibration * 2).max(10);
    let mut batches: Vec<Duration> = (0..11)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_batch {
                run();
            }
            start.elapsed() / per_batch
        })
        .collect();
    batches.sort();
    batches[5]
}

fn micros(d: Duration) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6)
}

fn ratio(peer: Duration, ours: Duration) -> String {
    format!("{:.2}×", peer.as_secs_f64() / ours.as_secs_f64())
}

fn row<E, P>(name: &str)
where
    E: Example + Binary,
    P: Serialize + DeserializeOwned,
{
    let Fixture {
        bytes,
        envelope,
        plain,
        validator,
    } = Fixture::<E, P>::new();
    let plain_encode = time_per_call(|| {
        black_box(serde_json::to_vec(black_box(&plain)).ok());
    });
    let encode = time_per_call(|| {
        black_box(black_box(&envelope).to_json().ok());
    });
    let plain_decode = time_per_call(|| {
        black_box(serde_json::from_slice::<PlainEnvelope<P>>(black_box(&bytes)).ok());
    });
    let decode = time_per_call(|| {
        black_box(Envelope::<E>::from_json(black_box(&bytes)).ok());
    });
    let value_decode = time_per_call(|| {
        let value: serde_json::Value =
            serde_json::from_slice(black_box(&bytes)).unwrap_or_default();
        black_box(validator.is_valid(&value));
        black_box(serde_json::from_value::<Envelope<E>>(value).ok());
    });
    let binary = envelope.to_binary().expect("valid");
    let mut buffer = Some(rkyv::util::AlignedVec::new());
    let binary_encode = time_per_call(|| {
        let reused = buffer.take().unwrap_or_default();
        buffer = black_box(&envelope).to_binary_in(reused).ok();
    });
    let access = time_per_call(|| {
        black_box(Envelope::<E>::access_binary(black_box(&binary)).is_ok());
    });
    let binary_decode = time_per_call(|| {
        black_box(Envelope::<E>::from_binary(black_box(&binary)).ok());
    });
    BINARY_ROWS.with(|rows| {
        rows.borrow_mut().push(format!(
            "| {name} | {} B vs {} B JSON | {} vs JSON {} = **{}** | {} | {} vs JSON {} = **{}** |",
            binary.len(),
            bytes.len(),
            micros(binary_encode),
            micros(encode),
            ratio(encode, binary_encode),
            micros(access),
            micros(binary_decode),
            micros(decode),
            ratio(decode, binary_decode),
        ))
    });
    println!(
        "| {name} | {} B | {} vs twin {} = **{}** | {} vs twin {} = **{}** | vs Value+jsonschema {} = **{}** |",
        bytes.len(),
        micros(encode),
        micros(plain_encode),
        ratio(plain_encode, encode),
        micros(decode),
        micros(plain_decode),
        ratio(plain_decode, decode),
        micros(value_decode),
        ratio(value_decode, decode),
    );
}

thread_local! {
    static BINARY_ROWS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[index]) / 1000.0
}

fn latency_distribution() {
    const EVENTS: usize = 1_000_000;
    let envelope =
        Envelope::<CombatSessionStart>::from_json(&example_bytes::<CombatSessionStart>())
            .expect("valid");
    let mut samples: Vec<u32> = Vec::with_capacity(EVENTS);
    for _ in 0..EVENTS {
        let start = Instant::now();
        let bytes = envelope.to_json().unwrap_or_default();
        let back = Envelope::<CombatSessionStart>::from_json(black_box(&bytes));
        black_box(back.ok());
        samples.push(start.elapsed().as_nanos().min(u128::from(u32::MAX)) as u32);
    }
    samples.sort_unstable();
    println!(
        "encode + validated decode of combat.session.start, {EVENTS} events: p50 {:.2} µs, p99 {:.2} µs, p999 {:.2} µs, max {:.2} µs",
        percentile(&samples, 0.50),
        percentile(&samples, 0.99),
        percentile(&samples, 0.999),
        percentile(&samples, 1.0),
    );
}

fn catalog_costs() {
    let events = event_domains::catalog().events().to_vec();
    let generation = time_per_call(|| {
        for event in &events {
            black_box((event.descriptor.json_schema)());
        }
    });
    let current: Vec<CurrentEvent> = events
        .iter()
        .map(|e| CurrentEvent::of(&e.descriptor))
        .collect();
    let store = SnapshotStore::new(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"),
        "schemas",
    );
    let gate_time = time_per_call(|| {
        black_box(gate(&store, &current, false));
    });
    let n = events.len() as u32;
    println!(
        "schema generation: {} for the {n} events of the catalog ({} per event); snapshot gate (read + compare): {} ({} per event)",
        micros(generation),
        micros(generation / n),
        micros(gate_time),
        micros(gate_time / n),
    );
}

/// What personal data costs: sealing and opening the one personal field of a chat message
/// (parse, AES-256-GCM with a cached data key, write back), next to the validated codec of the
/// same event.
fn personal_data_costs() {
    use event_domains::social::ChatMessageSent;
    use event_kafka::personal::{LocalKms, MemoryKeyStore, PersonalData};
    let kms = LocalKms::from_secret("bench", b"the bench's key encryption secret").expect("kek");
    let personal = PersonalData::new(kms, std::sync::Arc::new(MemoryKeyStore::new()));
    let envelope =
        Envelope::<ChatMessageSent>::from_json(&example_bytes::<ChatMessageSent>()).expect("valid");
    let bytes = envelope.to_json().expect("valid");
    let subject = envelope.data().sender_id.to_string();
    let fields = ["/data/text".to_owned()];
    let sealed = personal
        .seal_fields(&bytes, &subject, &fields)
        .expect("sealed");
    let encode = time_per_call(|| {
        black_box(black_box(&envelope).to_json().ok());
    });
    let decode = time_per_call(|| {
        black_box(Envelope::<ChatMessageSent>::from_json(black_box(&bytes)).ok());
    });
    let seal = time_per_call(|| {
        black_box(
            personal
                .seal_fields(black_box(&bytes), &subject, &fields)
                .ok(),
        );
    });
    let open = time_per_call(|| {
        black_box(personal.open(black_box(&sealed.value), &sealed.header).ok());
    });
    println!(
        "personal data, social.chat.message_sent ({} B, 1 field): encrypt {} next to validated encode {}; decrypt {} next to validated decode {}",
        bytes.len(),
        micros(seal),
        micros(encode),
        micros(open),
        micros(decode),
    );
}

/// Counts allocations per thread, for the codec table's allocations per decode.
#[global_allocator]
static ALLOCATOR: codec_table::Counting = codec_table::Counting;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for the list of benchmarks
    }
    codec_table::print();
    if std::env::args().any(|a| a == "codec-table") {
        return; // `cargo bench --bench latency -- codec-table`: the table alone
    }
    println!();
    println!("The three events of earlier runs, against hand-written plain serde twins:");
    println!();
    println!("| event | JSON bytes | validated encode | validated decode | decode vs Value + jsonschema + typed |");
    println!("|---|---|---|---|---|");
    row::<PlayerAttack, PlainAttack>("combat.player.attack");
    row::<CombatSessionStart, PlainSessionStart>("combat.session.start");
    row::<AuditRecorded, PlainAudit>("system.audit.recorded");
    println!();
    println!("| event | binary record | validated binary encode (reused buffer) | checked access | validated binary decode |");
    println!("|---|---|---|---|---|");
    BINARY_ROWS.with(|rows| rows.borrow().iter().for_each(|row| println!("{row}")));
    println!();
    catalog_costs();
    personal_data_costs();
    instrumentation::costs();
    latency_distribution();
}

/// What the clients' metrics and spans cost on the produce and consume paths: each path
/// measured with instrumentation off (no recorder, no subscriber), with the metrics recorded
/// (a Prometheus recorder), and with metrics and OpenTelemetry spans (tracing-opentelemetry,
/// spans kept in memory), next to the validated codec cost of the same event.
mod instrumentation {
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    use cpu_time::ThreadTime;
    use event_core::catalog::{example_envelope, Example};
    use event_core::codec::DomainEvents;
    use event_domains::combat::PlayerAttack;
    use event_domains::CombatEvent;
    use event_kafka::{EventConsumer, EventProducer, KafkaConfig, Polled};
    use kafka_events_tests::broker::Broker;
    use kafka_events_tests::kafka::{attack_in_new_session, wait_all, Isolated};
    use metrics_exporter_prometheus::PrometheusBuilder;
    use opentelemetry::trace::TracerProvider as _;
    use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};
    use tracing_subscriber::layer::SubscriberExt;

    use super::{micros, time_per_call};

    /// Which instruments are on.
    #[derive(Clone, Copy)]
    enum Instruments {
        Off,
        Metrics,
        /// Spans created for a subscriber (tracing's registry) that exports nothing: what
        /// the clients' spans cost before an exporter's own work.
        MetricsAndRegistry,
        MetricsAndSpans,
    }

    const ALL: [Instruments; 4] = [
        Instruments::Off,
        Instruments::Metrics,
        Instruments::MetricsAndRegistry,
        Instruments::MetricsAndSpans,
    ];

    /// Runs `work` on this thread with `instruments` on.
    fn with<T>(instruments: Instruments, work: impl FnOnce() -> T) -> T {
        let recorder = PrometheusBuilder::new().build_recorder();
        let exporter = InMemorySpanExporter::default();
        let provider = SdkTracerProvider::builder()
            .with_simple_exporter(exporter)
            .build();
        let subscriber = tracing_subscriber::registry()
            .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("bench")));
        match instruments {
            Instruments::Off => work(),
            Instruments::Metrics => metrics::with_local_recorder(&recorder, work),
            Instruments::MetricsAndRegistry => metrics::with_local_recorder(&recorder, || {
                tracing::subscriber::with_default(tracing_subscriber::registry(), work)
            }),
            Instruments::MetricsAndSpans => metrics::with_local_recorder(&recorder, || {
                tracing::subscriber::with_default(subscriber, work)
            }),
        }
    }

    /// Validating, encoding and handing one event to librdkafka (a broker that is not there:
    /// the records wait in the client's queue, so only the process's own work is timed).
    fn produce_path(instruments: Instruments) -> Duration {
        with(instruments, || {
            let config = KafkaConfig::new("127.0.0.1:9")
                .set("queue.buffering.max.messages", "5000000")
                .set("message.timeout.ms", "600000");
            let producer = EventProducer::new(&config)
                .expect("producer")
                .with_close_timeout(Duration::ZERO);
            let envelope = example_envelope(PlayerAttack::example());
            time_per_call(|| {
                black_box(producer.enqueue(black_box(&envelope)).ok());
            })
        })
    }

    /// The CPU time of this thread per record read, decoded and handled by a consumer of a
    /// new group, over `count` records.
    fn consume_path(
        corner: &Isolated,
        group: &str,
        count: usize,
        instruments: Instruments,
    ) -> Duration {
        with(instruments, || {
            let consumer: EventConsumer<CombatEvent> = corner.consumer(group);
            let mut read = 0;
            // The first record starts the clock: joining the group is not the path.
            while read == 0 {
                if let Ok(Polled::Handled { .. }) =
                    consumer.poll(Duration::from_secs(1), |_| Ok::<(), String>(()))
                {
                    read += 1;
                }
            }
            let started = ThreadTime::now();
            let wall = Instant::now();
            while read < count && wall.elapsed() < Duration::from_secs(120) {
                if let Ok(Polled::Handled { .. }) =
                    consumer.poll(Duration::from_secs(1), |received| {
                        black_box(received.event.event_id());
                        Ok::<(), String>(())
                    })
                {
                    read += 1;
                }
            }
            assert_eq!(read, count, "records read");
            started.elapsed() / (count as u32 - 1)
        })
    }

    fn median(mut samples: Vec<Duration>) -> Duration {
        samples.sort();
        samples[samples.len() / 2]
    }

    fn percent(base: Duration, with: Duration) -> String {
        format!(
            "{:+.1} %",
            (with.as_secs_f64() / base.as_secs_f64() - 1.0) * 100.0
        )
    }

    /// Prints the table: each path's median over `ROUNDS` rounds, the settings alternating.
    pub(super) fn costs() {
        const ROUNDS: usize = 5;
        let envelope = example_envelope(PlayerAttack::example());
        let bytes = envelope.to_json().expect("valid");
        let codec = time_per_call(|| {
            black_box(black_box(&envelope).to_json().ok());
        }) + time_per_call(|| {
            black_box(event_core::Envelope::<PlayerAttack>::from_json(black_box(&bytes)).ok());
        });
        let mut produce: [Vec<Duration>; 4] = Default::default();
        for _ in 0..ROUNDS {
            for (i, instruments) in ALL.iter().enumerate() {
                produce[i].push(produce_path(*instruments));
            }
        }
        let produce = produce.map(median);

        let consume = match Broker::start() {
            Ok(broker) => {
                const RECORDS: usize = 20_000;
                let corner = Isolated::on(&broker, "instrumented");
                let producer = corner.producer();
                let pending = (0..RECORDS)
                    .map(|_| {
                        producer
                            .enqueue_event(&attack_in_new_session())
                            .expect("enqueued")
                    })
                    .collect();
                wait_all(pending);
                let mut consume: [Vec<Duration>; 4] = Default::default();
                for round in 0..ROUNDS {
                    for (i, instruments) in ALL.iter().enumerate() {
                        let group = format!("bench-{round}-{i}");
                        consume[i].push(consume_path(&corner, &group, RECORDS, *instruments));
                    }
                }
                Some(consume.map(median))
            }
            Err(error) => {
                println!("(consume path not measured: no broker: {error})");
                None
            }
        };
        println!();
        println!(
            "| path, combat.player.attack ({} B) | instruments off | metrics | metrics + spans (tracing registry, no exporter) | metrics + OpenTelemetry spans | validated encode + decode |",
            bytes.len()
        );
        println!("|---|---|---|---|---|---|");
        let row = |path: &str, times: [Duration; 4]| {
            println!(
                "| {path} | {} | {} ({}) | {} ({}) | {} ({}) | {} |",
                micros(times[0]),
                micros(times[1]),
                percent(times[0], times[1]),
                micros(times[2]),
                percent(times[0], times[2]),
                micros(times[3]),
                percent(times[0], times[3]),
                micros(codec),
            );
        };
        row("produce (validate, encode, hand to librdkafka)", produce);
        if let Some(consume) = consume {
            row(
                "consume (poll, decode, validate, handle; CPU of the polling thread)",
                consume,
            );
        }
    }
}
