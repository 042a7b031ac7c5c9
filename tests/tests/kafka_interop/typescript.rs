//! `interop/ts`: the generated types, KafkaJS (with lz4js for the topics' LZ4) and Ajv.

use std::process::Command;

use event_core::codec::DomainEvents;
use std::sync::OnceLock;

use super::{build_step, stage, Program};

/// The TypeScript program, compiled once (`npm ci` from npm, then `tsc --strict`).
fn program() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let (export, source) = stage(
            "ts",
            &[
                "main.ts",
                "package.json",
                "package-lock.json",
                "tsconfig.json",
            ],
        );
        build_step(
            "npm ci",
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&source),
        );
        build_step(
            "tsc",
            Command::new(source.join("node_modules/.bin/tsc"))
                .args(["-p", "."])
                .current_dir(&source),
        );
        Program {
            language: "ts",
            command: vec!["node".into(), source.join("dist/interop/ts/main.js").into()],
            export,
        }
    })
}

#[test]
fn typescript_writes_every_example_and_the_rust_consumers_read_each_validated_and_equal() {
    super::writes_every_example_for_the_rust_consumers(program());
}

#[test]
fn rust_writes_every_example_and_typescript_reads_each_validated_and_typed() {
    let summary = super::reads_every_example_the_rust_producer_wrote(program());
    // The attack's weapon is read through the generated union narrowed by `event_type`.
    let attack = event_domains::CombatEvent::examples()
        .into_iter()
        .find_map(|event| match event {
            event_domains::CombatEvent::PlayerAttack(attack) => Some(attack),
            _ => None,
        })
        .expect("an attack example");
    assert_eq!(
        summary["attack_weapons"],
        serde_json::json!([attack.data().weapon_id])
    );
}

#[test]
fn an_event_typescript_writes_against_its_schema_is_dead_lettered_by_rust() {
    super::an_invalid_event_is_dead_lettered_by_rust(program());
}
