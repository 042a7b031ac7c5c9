//! `export-schemas --apply-topics` and `--publish-examples` against Apache Kafka (the tests'
//! shared broker; the publishing test uses staging topics of its own).

use std::collections::HashMap;
use std::process::{Command, Output};

use event_core::codec::DomainEvents;
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};
use event_kafka::{ConsumerOptions, EventConsumer, KafkaConfig};
use kafka_events_tests::broker::Broker;
use kafka_events_tests::kafka::consume;

/// Runs `export-schemas --apply-topics` with `args`.
fn apply_topics(args: &[&str], envs: &[(&str, &str)]) -> (Option<i32>, String, String) {
    export_schemas(&[&["--apply-topics"], args].concat(), envs)
}

/// Runs `export-schemas` with `args` and the `KAFKA_*` variables `envs` only.
fn export_schemas(args: &[&str], envs: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_export-schemas"))
        .args(args)
        .env_remove("KAFKA_BOOTSTRAP_SERVERS")
        .envs(envs.iter().copied())
        .output()
        .expect("runs");
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// The catalog's topics and their dead-letter topics.
fn provisioned_topics() -> usize {
    2 * event_tools::export::topic_configs(event_domains::catalog().events()).len()
}

#[test]
fn apply_topics_creates_then_reports_unchanged_then_drift() {
    let bootstrap = Broker::shared().bootstrap();
    let topics = provisioned_topics();

    let (code, stdout, stderr) = apply_topics(
        &["--bootstrap", &bootstrap, "--replication-factor", "1"],
        &[],
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_eq!(stdout.matches("created ").count(), topics, "{stdout}");
    assert!(
        stdout.contains("created    game.combat.events.dlq"),
        "{stdout}"
    );

    // Again, connected through the environment: nothing to do.
    let (code, stdout, stderr) = apply_topics(
        &["--replication-factor", "1"],
        &[("KAFKA_BOOTSTRAP_SERVERS", &bootstrap)],
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_eq!(stdout.matches("unchanged ").count(), topics, "{stdout}");

    // And through a client.properties file.
    let properties = std::env::temp_dir().join(format!(
        "kafka-events-client-{}.properties",
        std::process::id()
    ));
    std::fs::write(
        &properties,
        format!("# the test broker\nbootstrap.servers={bootstrap}\nclient.id=apply-topics\n"),
    )
    .expect("properties written");
    let (code, stdout, stderr) = apply_topics(
        &[
            "--kafka-config",
            &properties.to_string_lossy(),
            "--replication-factor",
            "1",
        ],
        &[],
    );
    let _ = std::fs::remove_file(&properties);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_eq!(stdout.matches("unchanged ").count(), topics, "{stdout}");

    // The configured replication factor (3) is not what a single broker has: drift, exit 1.
    let (code, stdout, stderr) = apply_topics(&["--bootstrap", &bootstrap], &[]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("DRIFT      game.combat.events")
            && stdout.contains("replication.factor: expected 3, found 1"),
        "{stdout}"
    );
    assert!(stderr.contains("nothing was changed"), "{stderr}");
}

#[test]
fn apply_topics_without_a_cluster_address_is_a_clear_error() {
    let (code, stdout, stderr) = apply_topics(&[], &[]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("KAFKA_BOOTSTRAP_SERVERS is not set"),
        "{stderr}"
    );
}

/// Reads `examples.len()` events of `E` from the staging topics and checks each against its
/// example: same event, fresh id and timestamp.
fn assert_examples_arrived<E: DomainEvents + PartialEq + Clone>(
    config: &KafkaConfig,
    suffix: &str,
    examples: Vec<E>,
) {
    let consumer = EventConsumer::<E>::new(
        config,
        // a group per domain, as each domain's service has: each reads the cross-domain
        // topic for itself
        ConsumerOptions::new(format!("staging-check-{}", E::DOMAIN)).topic_suffix(suffix),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let seen = consume(&consumer, examples.len());
    assert!(seen.dead_letters.is_empty(), "{:?}", seen.dead_letters);
    let by_type: HashMap<&str, E> = examples
        .into_iter()
        .map(|example| (example.event_type(), example))
        .collect();
    assert_eq!(seen.handled.len(), by_type.len(), "{}", E::DOMAIN);
    for received in seen.handled {
        let event = received.event;
        assert!(received.position.topic.ends_with(suffix));
        let example = &by_type[event.event_type()];
        assert_ne!(example.event_id(), event.event_id(), "a fresh id");
        assert_ne!(example.timestamp(), event.timestamp(), "a fresh timestamp");
        let same = example
            .clone()
            .with_event_id(event.event_id())
            .with_timestamp(event.timestamp());
        assert!(same == event, "{}: {event:?}", event.event_type());
    }
}

#[test]
fn publish_examples_sends_every_example_to_the_staging_topics() {
    let bootstrap = Broker::shared().bootstrap();
    let suffix = ".staging";
    let (code, stdout, stderr) = export_schemas(
        &[
            "--apply-topics",
            "--publish-examples",
            "--topic-suffix",
            suffix,
            "--bootstrap",
            &bootstrap,
            "--replication-factor",
            "1",
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("created    game.combat.events.staging.dlq"),
        "{stdout}"
    );
    let total = event_domains::catalog().events().len();
    assert_eq!(stdout.matches("published  ").count(), total, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "kafka-events: {total} examples acknowledged by {bootstrap}"
        )),
        "{stdout}"
    );

    let config = KafkaConfig::new(bootstrap).set("session.timeout.ms", "6000");
    assert_examples_arrived(&config, suffix, CombatEvent::examples());
    assert_examples_arrived(&config, suffix, EconomyEvent::examples());
    assert_examples_arrived(&config, suffix, SocialEvent::examples());
    assert_examples_arrived(&config, suffix, SystemEvent::examples());
    assert_examples_arrived(&config, suffix, PlayerEvent::examples());
}

#[test]
fn publish_examples_to_topics_that_do_not_exist_fails_and_says_so() {
    let bootstrap = Broker::shared().bootstrap();
    // Connected through the environment, with a short delivery timeout.
    let (code, stdout, stderr) = export_schemas(
        &["--publish-examples", "--topic-suffix", ".never-provisioned"],
        &[
            ("KAFKA_BOOTSTRAP_SERVERS", &bootstrap),
            ("KAFKA_MESSAGE_TIMEOUT_MS", "3000"),
        ],
    );
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("FAILED     combat.session.start"),
        "{stdout}"
    );
    assert!(
        stderr.contains("examples were not acknowledged"),
        "{stderr}"
    );
}

#[test]
fn apply_acls_grants_the_declared_services_then_reports_unchanged() {
    let bootstrap = Broker::shared().bootstrap();
    let declared = event_tools::export::declared_bindings(event_domains::catalog().events(), "");
    let suffix = ".t.cli-acls";
    let args = [
        "--apply-topics",
        "--apply-acls",
        "--bootstrap",
        &bootstrap,
        "--replication-factor",
        "1",
        "--topic-suffix",
        suffix,
    ];
    let (code, stdout, stderr) = export_schemas(&args, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_eq!(
        stdout.matches("acl created").count(),
        declared.len(),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "acl created    TOPIC game.combat.events{suffix} LITERAL User:combat-service@* WRITE ALLOW"
        )),
        "{stdout}"
    );
    let (code, stdout, stderr) = export_schemas(&args, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_eq!(
        stdout.matches("acl unchanged").count(),
        declared.len(),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{} ACL bindings match the catalog",
            declared.len()
        )),
        "{stdout}"
    );
}
