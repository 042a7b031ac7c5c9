//! Go and Rust through Apache Kafka: `interop/go` (the generated structs, franz-go and
//! santhosh-tekuri/jsonschema) produces every catalog example for the Rust typed consumers,
//! consumes and validates what the Rust producer wrote, and an event its schema refuses goes to
//! the dead-letter topic on the Rust side. Go comes from the machine; its modules from the Go
//! module proxy.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use event_core::codec::DomainEvents;
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};
use event_kafka::{EventConsumer, EventProducer, PendingDelivery, Polled};
use event_tools::cli::{run, Command as Export};
use event_tools::codegen::Language;
use kafka_events_tests::broker::Broker;
use kafka_events_tests::kafka::{Isolated, LIMIT};
use serde_json::Value;
use uuid::Uuid;

/// The export and the Go program built next to it, as `interop/go/go.mod` expects
/// (`<dir>/out/go` beside `<dir>/interop/go`), under the tests' target folder.
struct GoProgram {
    export: PathBuf,
    binary: PathBuf,
}

fn program() -> &'static GoProgram {
    static PROGRAM: OnceLock<GoProgram> = OnceLock::new();
    PROGRAM.get_or_init(build)
}

fn build() -> GoProgram {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("interop-go");
    let _ = std::fs::remove_dir_all(&dir);
    let export = dir.join("out");
    std::fs::create_dir_all(&export).expect("out");
    let code = run(
        &event_domains::catalog(),
        &Export::Export {
            out: export.clone(),
            languages: Language::ALL.to_vec(),
        },
    );
    assert_eq!(code, ExitCode::SUCCESS, "export-schemas");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../interop/go");
    let program = dir.join("interop/go");
    std::fs::create_dir_all(&program).expect("interop/go");
    for file in ["main.go", "go.mod", "go.sum"] {
        std::fs::copy(source.join(file), program.join(file))
            .unwrap_or_else(|error| panic!("{file}: {error}"));
    }
    let binary = dir.join("interop-go");
    let built = Command::new("go")
        .args(["build", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(&program)
        .env("GOFLAGS", "-mod=mod")
        .env("GOTOOLCHAIN", "local")
        .output()
        .expect("the go command (Go comes with the machine)");
    assert!(
        built.status.success(),
        "go build: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    GoProgram { export, binary }
}

/// Runs the Go program against the shared broker on `corner`'s topics; its standard output.
fn go(corner: &Isolated, command: &str, args: &[&str]) -> String {
    let program = program();
    let output = Command::new(&program.binary)
        .arg(command)
        .arg("-brokers")
        .arg(Broker::shared().bootstrap())
        .arg("-export")
        .arg(&program.export)
        .arg("-suffix")
        .arg(&corner.suffix)
        .args(args)
        .output()
        .expect("interop-go");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "interop-go {command}: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// One record Go wrote.
struct Written {
    event_id: Uuid,
    partition: i32,
    keyed: bool,
}

fn written_by_go(stdout: &str) -> BTreeMap<String, Written> {
    stdout
        .lines()
        .map(|line| {
            let line: Value = serde_json::from_str(line).expect("a JSON line");
            (
                line["event_type"].as_str().expect("event_type").to_owned(),
                Written {
                    event_id: line["event_id"]
                        .as_str()
                        .expect("id")
                        .parse()
                        .expect("uuid"),
                    partition: line["partition"].as_i64().expect("partition") as i32,
                    keyed: line["key"].as_str().is_some_and(|key| !key.is_empty()),
                },
            )
        })
        .collect()
}

/// Reads `count` records of `E`'s topics in a new group: handled events by type with their
/// partition, and the dead letters' kinds.
fn read<E: DomainEvents>(
    corner: &Isolated,
    group: &str,
    count: usize,
) -> (BTreeMap<&'static str, (E, i32)>, Vec<String>) {
    let consumer: EventConsumer<E> = corner.consumer(group);
    let (mut handled, mut dead) = (BTreeMap::new(), Vec::new());
    let started = Instant::now();
    while handled.len() + dead.len() < count && started.elapsed() < LIMIT {
        match consumer.poll(Duration::from_millis(500), |received| {
            handled.insert(
                received.event.event_type(),
                (received.event, received.position.partition),
            );
            Ok::<(), String>(())
        }) {
            Ok(Polled::DeadLettered { reason, .. }) => dead.push(reason.kind().to_owned()),
            Ok(_) => {}
            Err(error) => panic!("poll: {error}"),
        }
    }
    (handled, dead)
}

/// Every example of `E` that Go wrote reached the Rust consumer validated, equal to the
/// example with Go's event id, in the partition Go's client chose for its key.
fn each_from_go<E: DomainEvents + PartialEq>(
    corner: &Isolated,
    written: &BTreeMap<String, Written>,
) -> usize {
    let examples = E::examples();
    // A group per domain: each reads player.account.banned from the player topic.
    let group = format!("from-go-{}", E::DOMAIN);
    let (handled, dead) = read::<E>(corner, &group, examples.len());
    assert!(dead.is_empty(), "{}: dead letters {dead:?}", E::DOMAIN);
    for example in examples {
        let event_type = example.event_type();
        let sent = &written[event_type];
        let (got, partition) = handled
            .get(event_type)
            .unwrap_or_else(|| panic!("{event_type} from Go not received by {}", E::DOMAIN));
        assert_eq!(got, &example.with_event_id(sent.event_id), "{event_type}");
        assert_eq!(*partition, sent.partition, "{event_type}: partition");
    }
    handled.len()
}

#[test]
fn go_writes_every_example_and_the_rust_consumers_read_each_validated_and_equal() {
    let corner = Isolated::new("from-go");
    let written = written_by_go(&go(&corner, "produce", &[]));
    assert_eq!(written.len(), event_domains::catalog().events().len());
    let read = each_from_go::<CombatEvent>(&corner, &written)
        + each_from_go::<EconomyEvent>(&corner, &written)
        + each_from_go::<SocialEvent>(&corner, &written)
        + each_from_go::<SystemEvent>(&corner, &written)
        + each_from_go::<PlayerEvent>(&corner, &written);
    // player.account.banned is read by four domains' consumers.
    assert_eq!(read, written.len() + 3);

    // The same examples (same keys) from Rust land in the partitions Go chose: both hash keys
    // with murmur2.
    let (_, partitions) = send_every_example(&Isolated::new("same-keys"));
    let mut keyed = 0;
    for (event_type, partition) in partitions {
        let go = &written[event_type];
        // Records without a key are spread at random by both clients.
        if go.keyed {
            keyed += 1;
            assert_eq!(
                partition, go.partition,
                "{event_type}: Rust's partition against Go's"
            );
        }
    }
    assert!(keyed >= 10, "{keyed} keyed events compared");
}

/// Enqueues each example of `E` not sent yet, with a fresh id (noted in `sent`); the pending
/// deliveries by event type.
fn send_new<E: DomainEvents>(
    producer: &EventProducer,
    sent: &mut BTreeMap<&'static str, Uuid>,
) -> Vec<(&'static str, PendingDelivery)> {
    let mut pending = Vec::new();
    for example in E::examples() {
        if sent.contains_key(example.event_type()) {
            continue;
        }
        let example = example.with_event_id(Uuid::new_v4());
        sent.insert(example.event_type(), example.event_id());
        let delivery = producer.enqueue_event(&example).expect("enqueued");
        pending.push((example.event_type(), delivery));
    }
    pending
}

/// Every example of the catalog once, with fresh ids, through the Rust producer: the ids and
/// the partitions written, by event type.
fn send_every_example(
    corner: &Isolated,
) -> (BTreeMap<&'static str, Uuid>, BTreeMap<&'static str, i32>) {
    let producer = corner.producer();
    let mut sent = BTreeMap::new();
    let mut pending = send_new::<CombatEvent>(&producer, &mut sent);
    pending.extend(send_new::<EconomyEvent>(&producer, &mut sent));
    pending.extend(send_new::<SocialEvent>(&producer, &mut sent));
    pending.extend(send_new::<SystemEvent>(&producer, &mut sent));
    pending.extend(send_new::<PlayerEvent>(&producer, &mut sent));
    let partitions = pending
        .into_iter()
        .map(|(event_type, delivery)| (event_type, delivery.wait().expect("delivered").partition))
        .collect();
    (sent, partitions)
}

#[test]
fn rust_writes_every_example_and_go_reads_each_validated_and_reencoded_equal() {
    let corner = Isolated::new("to-go");
    let (sent, _) = send_every_example(&corner);
    assert_eq!(sent.len(), event_domains::catalog().events().len());
    let count = sent.len().to_string();
    let group = format!("go-reader{}", corner.suffix);
    let summary: Value = serde_json::from_str(&go(
        &corner,
        "consume",
        &["-count", &count, "-group", &group],
    ))
    .expect("summary");
    assert_eq!(summary["read"], sent.len());
    assert_eq!(summary["valid"], sent.len(), "{summary}");
    let ids: BTreeSet<Uuid> = summary["event_ids"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|id| id.as_str().expect("id").parse().expect("uuid"))
        .collect();
    assert_eq!(ids, sent.values().copied().collect());
    for event_type in sent.keys() {
        assert_eq!(summary["by_event_type"][event_type], 1, "{event_type}");
    }
}

#[test]
fn an_event_go_writes_against_its_schema_is_dead_lettered_by_rust() {
    let corner = Isolated::new("invalid-from-go");
    let written = written_by_go(&go(&corner, "produce", &["-invalid"]));
    assert_eq!(written.len(), 1);
    let (handled, dead) = read::<CombatEvent>(&corner, "from-go", 1);
    assert!(handled.is_empty());
    assert_eq!(dead, ["invalid"], "dead letter kinds");
}
