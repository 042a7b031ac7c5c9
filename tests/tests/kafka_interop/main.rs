//! Go and TypeScript against Rust through Apache Kafka: the programs under `interop/` (the
//! generated Go structs with franz-go and santhosh-tekuri/jsonschema; the generated TypeScript
//! types with KafkaJS and Ajv) produce every catalog example for the Rust typed consumers,
//! consume and validate what the Rust producer wrote, and an event its schema refuses goes to
//! the dead-letter topic on the Rust side. Go and Node come from the machine; Go modules from
//! the Go module proxy, npm packages from npm.
//!
//! Both programs take the same commands and flags, so every check below runs once per language.

mod go;
mod typescript;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use event_core::codec::{DomainEvents, HeaderSet};
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};
use event_kafka::{EventConsumer, EventProducer, PendingDelivery, Polled};
use event_tools::cli::{run, Command as Export};
use event_tools::codegen::Language;
use kafka_events_tests::broker::Broker;
use kafka_events_tests::kafka::{Isolated, LIMIT};
use serde_json::Value;
use uuid::Uuid;

/// A built program of another language, run as `<command…> produce|consume --brokers …`.
pub struct Program {
    /// The language, which names its topics and groups apart from the other's.
    language: &'static str,
    /// The executable and the arguments before the subcommand.
    command: Vec<OsString>,
    /// The export the program reads (topics, examples, self-contained schemas).
    export: PathBuf,
}

/// A folder under the tests' target folder laid out as `interop/<language>` expects: the
/// export at `<dir>/out` (from the catalog, in process) and the program's committed `files`
/// copied to `<dir>/interop/<language>`, which is returned.
fn stage(language: &str, files: &[&str]) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("interop-{language}"));
    let export = dir.join("out");
    let program = dir.join("interop").join(language);
    // Keep what a package manager fetched before (node_modules), not an old export.
    let _ = std::fs::remove_dir_all(&export);
    std::fs::create_dir_all(&export).expect("out");
    let code = run(
        &event_domains::catalog(),
        &Export::Export {
            out: export.clone(),
            languages: Language::ALL.to_vec(),
            site: None,
        },
    );
    assert_eq!(code, ExitCode::SUCCESS, "export-schemas");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../interop")
        .join(language);
    std::fs::create_dir_all(&program).expect("interop/<language>");
    for file in files {
        std::fs::copy(source.join(file), program.join(file))
            .unwrap_or_else(|error| panic!("{file}: {error}"));
    }
    (export, program)
}

/// Runs `command` to its end in `dir`; panics with its output when it fails.
fn build_step(what: &str, command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{what}: {error} (it comes with the machine)"));
    assert!(
        output.status.success(),
        "{what}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

impl Program {
    /// Runs the program against the shared broker on `corner`'s topics; its standard output.
    fn run(&self, corner: &Isolated, command: &str, args: &[&str]) -> String {
        let (program, before) = self.command.split_first().expect("a command");
        let output = Command::new(program)
            .args(before)
            .arg(command)
            .arg("--brokers")
            .arg(Broker::shared().bootstrap())
            .arg("--export")
            .arg(&self.export)
            .arg("--suffix")
            .arg(&corner.suffix)
            .args(args)
            .output()
            .unwrap_or_else(|error| panic!("interop {}: {error}", self.language));
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "interop {} {command}: {}\n{stdout}",
            self.language,
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }

    /// A corner of the broker (topics with their own suffix) for this program's `name`d test.
    fn corner(&self, name: &str) -> Isolated {
        Isolated::new(&format!("{}-{name}", self.language))
    }
}

/// One record the other language wrote.
struct Written {
    event_id: Uuid,
    partition: i32,
    keyed: bool,
}

/// The records a program's `produce` printed, one JSON line each, by event type.
fn written(stdout: &str) -> BTreeMap<String, Written> {
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

/// Every example of `E` the program wrote reached the Rust consumer validated, equal to the
/// example with the program's event id, in the partition the program's client chose for its key.
fn each_from<E: DomainEvents + PartialEq>(
    corner: &Isolated,
    written: &BTreeMap<String, Written>,
) -> usize {
    let examples = E::examples();
    // A group per domain: each reads player.account.banned from the player topic.
    let group = format!("from-other-{}", E::DOMAIN);
    let (handled, dead) = read::<E>(corner, &group, examples.len());
    assert!(dead.is_empty(), "{}: dead letters {dead:?}", E::DOMAIN);
    for example in examples {
        let event_type = example.event_type();
        let sent = &written[event_type];
        let (got, partition) = handled
            .get(event_type)
            .unwrap_or_else(|| panic!("{event_type} not received by {}", E::DOMAIN));
        assert_eq!(got, &example.with_event_id(sent.event_id), "{event_type}");
        assert_eq!(*partition, sent.partition, "{event_type}: partition");
    }
    handled.len()
}

/// The program writes every example; the Rust consumers read each validated and equal, and
/// the Rust producer puts each keyed example in the partition the program's client chose.
fn writes_every_example_for_the_rust_consumers(program: &Program) {
    let corner = program.corner("from");
    let written = written(&program.run(&corner, "produce", &[]));
    assert_eq!(written.len(), event_domains::catalog().events().len());
    let read = each_from::<CombatEvent>(&corner, &written)
        + each_from::<EconomyEvent>(&corner, &written)
        + each_from::<SocialEvent>(&corner, &written)
        + each_from::<SystemEvent>(&corner, &written)
        + each_from::<PlayerEvent>(&corner, &written);
    // player.account.banned is read by four domains' consumers.
    assert_eq!(read, written.len() + 3);

    // The same examples (same keys) from Rust land in the partitions the program chose: both
    // hash keys with Kafka's murmur2.
    let (_, partitions) = send_every_example(&program.corner("same-keys"));
    let mut keyed = 0;
    for (event_type, partition) in partitions {
        let other = &written[event_type];
        // Records without a key are spread at random by both clients.
        if other.keyed {
            keyed += 1;
            assert_eq!(
                partition, other.partition,
                "{event_type}: Rust's partition against {}'s",
                program.language
            );
        }
    }
    assert!(keyed >= 10, "{keyed} keyed events compared");
}

/// Enqueues each example of `E` not sent yet, with a fresh id (noted in `sent`), through the
/// `producers` in turn; the pending deliveries by event type.
fn send_new<E: DomainEvents>(
    producers: &[EventProducer],
    sent: &mut BTreeMap<&'static str, Uuid>,
) -> Vec<(&'static str, PendingDelivery)> {
    let mut pending = Vec::new();
    for example in E::examples() {
        if sent.contains_key(example.event_type()) {
            continue;
        }
        let example = example.with_event_id(Uuid::new_v4());
        let producer = &producers[sent.len() % producers.len()];
        sent.insert(example.event_type(), example.event_id());
        let delivery = producer.enqueue_event(&example).expect("enqueued");
        pending.push((example.event_type(), delivery));
    }
    pending
}

/// Every example of the catalog once, with fresh ids, through the Rust producer (every other
/// one with no header at all, `HeaderSet::None`: the value names the event): the ids and the
/// partitions written, by event type.
fn send_every_example(
    corner: &Isolated,
) -> (BTreeMap<&'static str, Uuid>, BTreeMap<&'static str, i32>) {
    let producers = [
        corner.producer(),
        corner.producer().with_header_set(HeaderSet::None),
    ];
    let mut sent = BTreeMap::new();
    let mut pending = send_new::<CombatEvent>(&producers, &mut sent);
    pending.extend(send_new::<EconomyEvent>(&producers, &mut sent));
    pending.extend(send_new::<SocialEvent>(&producers, &mut sent));
    pending.extend(send_new::<SystemEvent>(&producers, &mut sent));
    pending.extend(send_new::<PlayerEvent>(&producers, &mut sent));
    let partitions = pending
        .into_iter()
        .map(|(event_type, delivery)| (event_type, delivery.wait().expect("delivered").partition))
        .collect();
    (sent, partitions)
}

/// Rust writes every example; the program reads each, valid against its exported schema, once
/// by id and event type. Returns the program's summary for checks of its own.
fn reads_every_example_the_rust_producer_wrote(program: &Program) -> Value {
    let corner = program.corner("to");
    let (sent, _) = send_every_example(&corner);
    assert_eq!(sent.len(), event_domains::catalog().events().len());
    let count = sent.len().to_string();
    let group = format!("reader{}", corner.suffix);
    let summary: Value = serde_json::from_str(&program.run(
        &corner,
        "consume",
        &["--count", &count, "--group", &group],
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
    summary
}

/// The program writes an attack its schema refuses (an over-long weapon id): the Rust
/// consumer dead-letters it as invalid.
fn an_invalid_event_is_dead_lettered_by_rust(program: &Program) {
    let corner = program.corner("invalid");
    let written = written(&program.run(&corner, "produce", &["--invalid"]));
    assert_eq!(written.len(), 1);
    let (handled, dead) = read::<CombatEvent>(&corner, "from-other", 1);
    assert!(handled.is_empty());
    assert_eq!(dead, ["invalid"], "dead letter kinds");
}
