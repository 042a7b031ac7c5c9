//! The `export-schemas` binary as a user runs it.

use std::process::Command;

fn export_schemas() -> Command {
    Command::new(env!("CARGO_BIN_EXE_export-schemas"))
}

#[test]
fn a_missing_output_parent_is_a_clear_error_and_exit_code_1() {
    let target = std::env::temp_dir().join(format!(
        "kafka-events-cli-{}/no/such/out",
        std::process::id()
    ));
    let output = export_schemas()
        .arg("--out")
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(!target.exists());
}

#[test]
fn an_unknown_flag_prints_the_usage_and_exit_code_2() {
    let output = export_schemas().arg("--colour").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unexpected argument '--colour'")
            && stderr.contains("Usage: export-schemas"),
        "{stderr}"
    );
}

#[test]
fn export_prints_a_summary_and_check_passes_on_the_committed_snapshots() {
    let out = std::env::temp_dir().join(format!("kafka-events-cli-out-{}", std::process::id()));
    let output = export_schemas()
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("events exported to") && stdout.contains("game.combat.events"),
        "{stdout}"
    );
    assert!(out.join("kafka-events-schema.json").exists());
    std::fs::remove_dir_all(&out).expect("clean up");
    let check = export_schemas().arg("--check").output().expect("runs");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
