//! `export-schemas --apply-topics` against a running broker (tansu, started by the test).

use std::process::{Command, Output};

use kafka_events_tests::broker::{Broker, Storage};

fn apply_topics(args: &[&str], envs: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_export-schemas"))
        .arg("--apply-topics")
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

#[test]
fn apply_topics_creates_then_reports_unchanged_then_drift() {
    let broker = Broker::start(Storage::Memory).unwrap_or_else(|error| panic!("{error}"));
    let bootstrap = broker.bootstrap();

    let (code, stdout, stderr) = apply_topics(
        &["--bootstrap", &bootstrap, "--replication-factor", "1"],
        &[],
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_eq!(stdout.matches("created ").count(), 8, "{stdout}");
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
    assert_eq!(stdout.matches("unchanged ").count(), 8, "{stdout}");

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
    assert_eq!(stdout.matches("unchanged ").count(), 8, "{stdout}");

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
