//! `cargo run --bin export-schemas`: writes every schema of the catalog, the bundle, the topic
//! configurations and the examples. Run with `--help` for the options.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use event_core::snapshot::{self, gate, on_ci, CurrentEvent, SnapshotStore};
use event_domains::codegen::{self, Language};
use event_domains::export::{export_files, write_files, write_sources};
use event_domains::{catalog, layout_report};

const USAGE: &str = "\
export-schemas: write the JSON Schemas, bundle, topic configurations and examples of the catalog

USAGE:
    cargo run --bin export-schemas -- [OPTIONS]

OPTIONS:
    --out DIR       output folder (default: out/ at the workspace root); created if its parent exists
    --languages L   comma-separated languages to generate: go, typescript, asyncapi, or none
                    (default: all three)
    --layout        print every event's fields in layout order, archived sizes and record size,
                    and write layout.json to the output folder
    --check         compare every event with its committed snapshots (schemas/); exit 1 on problems
    --accept        write snapshots of new events and compatible changes; refuse breaking ones
    --schemas DIR   the snapshot folder for --check and --accept (default: schemas/ at the workspace root)
    --apply-topics  create the catalog's topics and their dead-letter topics (<topic>.dlq) on a
                    cluster if missing; report (and exit 1 on) existing topics whose settings differ.
                    Connects with --bootstrap, else --kafka-config, else KAFKA_BOOTSTRAP_SERVERS
                    and the other KAFKA_* variables (KAFKA_SECURITY_PROTOCOL → security.protocol)
    --publish-examples
                    send every example (fresh event ids and timestamps) through the validating
                    producer and report what the cluster acknowledged; exit 1 if any was not.
                    Connects like --apply-topics; both may be given (topics first)
    --bootstrap HOST:PORT[,HOST:PORT]   the cluster's bootstrap servers
    --kafka-config FILE                 Kafka client properties (security.protocol, sasl.*, ssl.* …)
    --replication-factor N              instead of the configured 3 (e.g. 1 on a single broker)
    --topic-suffix S                    use <topic>S instead of each topic (e.g. .staging), for
                                        --apply-topics and --publish-examples
    -h, --help      print this help

WRITES (under the output folder):
    schemas/{domain}/{event}.json    the Draft 7 schema of each event's envelope
    examples/{domain}/{event}.json   a realistic example of each event, valid against its schema
    topics/{topic}.json              each topic's Kafka configuration and its events
    kafka-events-schema.json         one bundle accepting any event of the catalog
    go/                              Go module `kafkaevents`: structs, a round-trip test, cmd/sizes
    typescript/                      kafka-events.ts (types) and examples.test.ts
    asyncapi.json                    the AsyncAPI 3.0 document of the catalog";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Export {
        out: PathBuf,
        languages: Vec<Language>,
    },
    Check {
        schemas: PathBuf,
    },
    Layout {
        out: PathBuf,
    },
    Accept {
        schemas: PathBuf,
    },
    /// `--apply-topics` and/or `--publish-examples`.
    Cluster {
        connection: Connection,
        apply_topics: bool,
        publish_examples: bool,
    },
    Help,
}

/// How `--apply-topics` and `--publish-examples` reach the cluster, and which topics they use.
#[derive(Debug, Default, PartialEq)]
struct Connection {
    bootstrap: Option<String>,
    properties: Option<PathBuf>,
    replication_factor: Option<u16>,
    topic_suffix: Option<String>,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn folder_argument(flag: &str, value: Option<String>) -> Result<PathBuf, String> {
    path_argument(flag, value, "a folder", "target/schemas")
}

/// The value of `flag`, a path; `what` and `example` make the error say what was expected.
fn path_argument(
    flag: &str,
    value: Option<String>,
    what: &str,
    example: &str,
) -> Result<PathBuf, String> {
    match value {
        Some(path) if !path.starts_with("--") => Ok(PathBuf::from(path)),
        _ => Err(format!("{flag} needs {what}, e.g. {flag} {example}")),
    }
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut out = workspace_root().join("out");
    let mut schemas = workspace_root().join("schemas");
    let mut mode: Option<&str> = None;
    let mut publish_examples = false;
    let mut languages = Language::ALL.to_vec();
    let mut connection = Connection::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--out" => out = folder_argument("--out", args.next())?,
            "--schemas" => schemas = folder_argument("--schemas", args.next())?,
            "--languages" => {
                let list = args
                    .next()
                    .ok_or("--languages needs a list, e.g. --languages go,typescript")?;
                languages = if list == "none" {
                    Vec::new()
                } else {
                    list.split(',')
                        .map(|name| {
                            Language::from_name(name.trim())
                                .ok_or_else(|| format!("unknown language `{name}`: expected go, typescript, asyncapi or none"))
                        })
                        .collect::<Result<_, _>>()?
                };
            }
            "--bootstrap" => {
                connection.bootstrap = Some(
                    args.next()
                        .filter(|value| !value.starts_with("--"))
                        .ok_or("--bootstrap needs HOST:PORT, e.g. --bootstrap 127.0.0.1:9092")?,
                );
            }
            "--kafka-config" => {
                connection.properties = Some(path_argument(
                    "--kafka-config",
                    args.next(),
                    "a properties file",
                    "client.properties",
                )?);
            }
            "--replication-factor" => {
                let value = args.next().unwrap_or_default();
                connection.replication_factor = Some(
                    value
                        .parse()
                        .ok()
                        .filter(|factor| *factor > 0)
                        .ok_or_else(|| {
                            format!("--replication-factor needs a positive number, found `{value}`")
                        })?,
                );
            }
            "--topic-suffix" => {
                connection.topic_suffix = Some(
                    args.next()
                        .filter(|suffix| is_topic_suffix(suffix))
                        .ok_or("--topic-suffix needs a suffix of topic-name characters (a-z A-Z 0-9 . _ -), e.g. --topic-suffix .staging")?,
                );
            }
            "--publish-examples" => publish_examples = true,
            "--check" | "--accept" | "--layout" | "--apply-topics" => {
                if mode.is_some() {
                    return Err(
                        "--check, --accept, --layout and --apply-topics exclude each other"
                            .to_owned(),
                    );
                }
                mode = Some(match arg.as_str() {
                    "--check" => "check",
                    "--accept" => "accept",
                    "--apply-topics" => "apply-topics",
                    _ => "layout",
                });
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let apply_topics = mode == Some("apply-topics");
    if publish_examples && mode.is_some() && !apply_topics {
        return Err("--publish-examples goes with --apply-topics or alone".to_owned());
    }
    if !apply_topics && !publish_examples && connection != Connection::default() {
        return Err(
            "--bootstrap, --kafka-config, --replication-factor and --topic-suffix go with --apply-topics or --publish-examples"
                .to_owned(),
        );
    }
    if publish_examples && !apply_topics && connection.replication_factor.is_some() {
        return Err("--replication-factor goes with --apply-topics".to_owned());
    }
    Ok(match mode {
        _ if apply_topics || publish_examples => Command::Cluster {
            connection,
            apply_topics,
            publish_examples,
        },
        Some("check") => Command::Check { schemas },
        Some("accept") => Command::Accept { schemas },
        Some(_) => Command::Layout { out },
        None => Command::Export { out, languages },
    })
}

fn main() -> ExitCode {
    let command = match parse_args(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Command::Export { out, languages } => finish(export(&out, &languages)),
        Command::Check { schemas } => finish(check(&schemas)),
        Command::Accept { schemas } => finish(accept(&schemas)),
        Command::Layout { out } => finish(layout(&out)),
        Command::Cluster {
            connection,
            apply_topics: apply,
            publish_examples: publish,
        } => finish(cluster::run(&connection, apply, publish)),
    }
}

/// Whether `suffix` may end a Kafka topic name (Kafka allows `a-z A-Z 0-9 . _ -`).
fn is_topic_suffix(suffix: &str) -> bool {
    !suffix.is_empty()
        && suffix.len() <= 100
        && suffix
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'))
}

#[cfg(feature = "kafka")]
mod cluster {
    //! `--apply-topics` and `--publish-examples`.

    use chrono::Utc;
    use event_core::codec::DomainEvents;
    use event_domains::catalog::{self, CombatEvent, EconomyEvent, SocialEvent, SystemEvent};
    use event_kafka::{
        provision, with_dead_letter_topics, with_topic_suffix, EventProducer, KafkaConfig,
        PendingDelivery, ProvisionOptions,
    };
    use uuid::Uuid;

    use super::Connection;

    /// Provisions the topics (`apply_topics`), then publishes the examples (`publish`).
    pub fn run(connection: &Connection, apply_topics: bool, publish: bool) -> Result<(), String> {
        let config = kafka_config(connection)?;
        let suffix = connection.topic_suffix.as_deref().unwrap_or("");
        if apply_topics {
            self::apply_topics(&config, suffix, connection.replication_factor)?;
        }
        if publish {
            publish_examples(&config, suffix)?;
        }
        Ok(())
    }

    /// `--kafka-config`, else `--bootstrap`, else the `KAFKA_*` environment; `--bootstrap`
    /// wins over the file's servers.
    fn kafka_config(connection: &Connection) -> Result<KafkaConfig, String> {
        let mut config = match &connection.properties {
            Some(path) => KafkaConfig::from_properties_file(path),
            None => match &connection.bootstrap {
                Some(bootstrap) => Ok(KafkaConfig::new(bootstrap.clone())),
                None => KafkaConfig::from_env(),
            },
        }
        .map_err(|e| format!("error: {e}"))?;
        if let Some(bootstrap) = &connection.bootstrap {
            config = config.set("bootstrap.servers", bootstrap.clone());
        }
        Ok(config)
    }

    fn apply_topics(
        config: &KafkaConfig,
        suffix: &str,
        replication_factor: Option<u16>,
    ) -> Result<(), String> {
        let topics = with_dead_letter_topics(with_topic_suffix(
            event_domains::export::topic_configs(&catalog::events()),
            suffix,
        ));
        let options = ProvisionOptions {
            replication_factor,
            ..ProvisionOptions::default()
        };
        let report = provision(config, &topics, &options)
            .map_err(|e| format!("error: {}: {e}", config.bootstrap_servers()))?;
        print!("{report}");
        if report.has_drift() {
            return Err(
                "error: some topics exist with other settings (listed above); nothing was changed"
                    .to_owned(),
            );
        }
        println!(
            "kafka-events: {} topics match their configuration on {}",
            report.topics.len(),
            config.bootstrap_servers()
        );
        Ok(())
    }

    /// An example on its way: its name and its pending delivery.
    type Sent = (&'static str, PendingDelivery);

    /// `examples`, each with a fresh id and timestamp, handed to `producer`.
    fn enqueue_examples<E: DomainEvents>(
        producer: &EventProducer,
        examples: Vec<E>,
        sent: &mut Vec<Sent>,
    ) -> Result<(), String> {
        for example in examples {
            let event = example
                .with_event_id(Uuid::new_v4())
                .with_timestamp(Utc::now());
            let pending = producer
                .enqueue_event(&event)
                .map_err(|e| format!("error: {e}"))?;
            sent.push((event.event_type(), pending));
        }
        Ok(())
    }

    fn publish_examples(config: &KafkaConfig, suffix: &str) -> Result<(), String> {
        let producer = EventProducer::new(config)
            .map_err(|e| format!("error: {e}"))?
            .with_topic_suffix(suffix);
        let mut sent = Vec::new();
        enqueue_examples(&producer, CombatEvent::examples(), &mut sent)?;
        enqueue_examples(&producer, EconomyEvent::examples(), &mut sent)?;
        enqueue_examples(&producer, SocialEvent::examples(), &mut sent)?;
        enqueue_examples(&producer, SystemEvent::examples(), &mut sent)?;
        let total = sent.len();
        let mut failed = 0;
        for (event_type, pending) in sent {
            match pending.wait() {
                Ok(delivery) => println!(
                    "published  {event_type:<34} {}[{}]@{}",
                    delivery.topic, delivery.partition, delivery.offset
                ),
                Err(error) => {
                    failed += 1;
                    println!("FAILED     {event_type:<34} {error}");
                }
            }
        }
        if failed > 0 {
            return Err(format!(
                "error: {failed} of {total} examples were not acknowledged (listed above)"
            ));
        }
        println!(
            "kafka-events: {total} examples acknowledged by {}",
            config.bootstrap_servers()
        );
        Ok(())
    }
}

#[cfg(not(feature = "kafka"))]
mod cluster {
    pub fn run(_: &super::Connection, _: bool, _: bool) -> Result<(), String> {
        Err("error: export-schemas was built without the `kafka` feature".to_owned())
    }
}

fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn store(schemas: &Path) -> SnapshotStore {
    SnapshotStore::new(schemas, snapshot::display_path(schemas, &workspace_root()))
}

fn current_events() -> Result<Vec<CurrentEvent>, String> {
    event_core::registry::catalog().map_err(|e| format!("error: {e}"))?;
    Ok(catalog::events()
        .iter()
        .map(|e| CurrentEvent::of(&e.descriptor))
        .collect())
}

fn check(schemas: &Path) -> Result<(), String> {
    let report = gate(&store(schemas), &current_events()?, on_ci());
    if !report.problems.is_empty() {
        println!("{}", report.render());
    }
    if report.passes() {
        println!(
            "kafka-events: every schema matches its snapshot in {}",
            schemas.display()
        );
        Ok(())
    } else {
        Err(format!(
            "error: the schemas do not match their snapshots in {}",
            schemas.display()
        ))
    }
}

fn layout(out: &Path) -> Result<(), String> {
    let layouts = catalog::events()
        .iter()
        .map(layout_report::event_layout)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("error: {e}"))?;
    print!("{}", layout_report::render(&layouts));
    let json = serde_json::to_value(&layouts).map_err(|e| format!("error: {e}"))?;
    let files = [event_domains::export::ExportFile {
        path: PathBuf::from("layout.json"),
        contents: json,
    }];
    write_files(out, &files).map_err(|e| format!("error: {e}"))?;
    println!(
        "kafka-events: layout report written to {}",
        out.join("layout.json").display()
    );
    Ok(())
}

fn accept(schemas: &Path) -> Result<(), String> {
    let written =
        snapshot::accept(&store(schemas), &current_events()?).map_err(|e| format!("error: {e}"))?;
    if written.is_empty() {
        println!("kafka-events: nothing to accept; every snapshot is up to date");
    }
    for file in &written {
        println!("accepted {file}");
    }
    Ok(())
}

fn export(out: &Path, languages: &[Language]) -> Result<(), String> {
    let events = catalog::events();
    event_core::registry::catalog().map_err(|e| format!("error: {e}"))?;
    let mut files = export_files(&events).map_err(|e| format!("error: {e}"))?;
    let (sources, generated_json) = codegen::generate(&events, languages);
    let generated = sources.len() + generated_json.len();
    files.extend(generated_json);
    let mut summary = write_files(out, &files).map_err(|e| format!("error: {e}"))?;
    let source_summary = write_sources(out, &sources).map_err(|e| format!("error: {e}"))?;
    summary.written += source_summary.written;
    summary.unchanged += source_summary.unchanged;
    println!(
        "kafka-events: {} events exported to {}",
        events.len(),
        out.display()
    );
    let mut domains: Vec<&str> = events.iter().map(|e| e.descriptor.domain).collect();
    domains.dedup();
    for domain in domains {
        let count = events
            .iter()
            .filter(|e| e.descriptor.domain == domain)
            .count();
        let topic = events
            .iter()
            .find(|e| e.descriptor.domain == domain)
            .map(|e| e.descriptor.topic)
            .unwrap_or_default();
        println!("  {domain:<8} {count:>3} events  -> {topic}");
    }
    println!(
        "  files: {} written, {} unchanged ({} schemas, {} examples, {} topics, 1 bundle, {generated} generated for {})",
        summary.written,
        summary.unchanged,
        events.len(),
        events.len(),
        files.len() + sources.len() - 2 * events.len() - 1 - generated,
        if languages.is_empty() { "no language".to_owned() } else { languages.iter().map(|l| l.name()).collect::<Vec<_>>().join(", ") }
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_the_options() {
        assert_eq!(parse_args(args(&["--help"])), Ok(Command::Help));
        assert_eq!(
            parse_args(args(&["--out", "x", "--languages", "go"])),
            Ok(Command::Export {
                out: PathBuf::from("x"),
                languages: vec![Language::Go]
            })
        );
        assert!(parse_args(args(&["--languages", "cobol"]))
            .unwrap_err()
            .contains("cobol"));
        assert!(parse_args(args(&["--out"])).is_err());
        assert!(parse_args(args(&["--bogus"]))
            .unwrap_err()
            .contains("--bogus"));
        assert!(matches!(
            parse_args(args(&["--check"])),
            Ok(Command::Check { .. })
        ));
        assert!(matches!(
            parse_args(args(&["--layout"])),
            Ok(Command::Layout { .. })
        ));
        assert_eq!(
            parse_args(args(&["--accept", "--schemas", "s"])),
            Ok(Command::Accept {
                schemas: PathBuf::from("s")
            })
        );
        assert!(parse_args(args(&["--check", "--accept"])).is_err());
        assert_eq!(
            parse_args(args(&[
                "--apply-topics",
                "--bootstrap",
                "k:9092",
                "--replication-factor",
                "1"
            ])),
            Ok(Command::Cluster {
                connection: Connection {
                    bootstrap: Some("k:9092".into()),
                    properties: None,
                    replication_factor: Some(1),
                    topic_suffix: None,
                },
                apply_topics: true,
                publish_examples: false,
            })
        );
        assert_eq!(
            parse_args(args(&[
                "--publish-examples",
                "--topic-suffix",
                ".staging",
                "--apply-topics",
            ])),
            Ok(Command::Cluster {
                connection: Connection {
                    topic_suffix: Some(".staging".into()),
                    ..Connection::default()
                },
                apply_topics: true,
                publish_examples: true,
            })
        );
        assert!(
            parse_args(args(&["--publish-examples", "--topic-suffix", "a/b"]))
                .unwrap_err()
                .contains("topic-name characters")
        );
        assert!(parse_args(args(&["--publish-examples", "--check"]))
            .unwrap_err()
            .contains("--publish-examples"));
        assert!(
            parse_args(args(&["--publish-examples", "--replication-factor", "1"]))
                .unwrap_err()
                .contains("--replication-factor goes with --apply-topics")
        );
        assert!(parse_args(args(&["--topic-suffix", ".staging"]))
            .unwrap_err()
            .contains("--publish-examples"));
        assert!(parse_args(args(&["--apply-topics", "--bootstrap"])).is_err());
        assert!(parse_args(args(&["--apply-topics", "--kafka-config"]))
            .unwrap_err()
            .contains("a properties file"));
        assert!(
            parse_args(args(&["--apply-topics", "--replication-factor", "0"]))
                .unwrap_err()
                .contains("positive")
        );
        assert!(parse_args(args(&["--bootstrap", "k:9092"]))
            .unwrap_err()
            .contains("--apply-topics"));
    }
}
