//! `export-arcade` writes this catalog's schemas, examples, Go, TypeScript and AsyncAPI, and
//! nothing of any other catalog.

use std::path::Path;
use std::process::Command;

fn files_under(folder: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(folder).expect("inside");
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn export_writes_the_arcade_catalog_only() {
    let out = tempfile::tempdir().expect("scratch");
    let output = Command::new(env!("CARGO_BIN_EXE_export-arcade"))
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files = files_under(out.path());
    for expected in [
        "schemas/arcade/arcade.run.started.json",
        "schemas/arcade/arcade.run.finished.json",
        "schemas/arcade/arcade.score.submitted.json",
        "schemas/core/envelope.json",
        "schemas/core/Metadata.json",
        "self-contained/arcade/arcade.score.submitted.json",
        "examples/arcade/arcade.score.submitted.json",
        "topics/arcade.events.json",
        "alerts/arcade.events.rules.yml",
        "dashboards/arcade.json",
        "kafka-events-schema.json",
        "go/events.go",
        "typescript/kafka-events.ts",
        "asyncapi.json",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} missing from {files:?}"
        );
    }
    assert_eq!(
        files
            .iter()
            .filter(|f| f.starts_with("schemas/arcade/"))
            .count(),
        3
    );
    assert_eq!(
        files
            .iter()
            .filter(|f| f.starts_with("self-contained/"))
            .count(),
        3
    );
    for file in &files {
        let text = std::fs::read_to_string(out.path().join(file)).expect("text");
        for foreign in ["combat", "economy", "game."] {
            assert!(!text.contains(foreign), "{file} mentions `{foreign}`");
        }
    }
    let go = std::fs::read_to_string(out.path().join("go/events.go")).expect("go");
    assert!(go.contains("cargo run --bin export-arcade"), "{go}");
    let asyncapi: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("asyncapi.json")).expect("read"))
            .expect("json");
    assert_eq!(asyncapi["info"]["title"], "arcade events");
}

#[test]
fn check_passes_on_the_committed_snapshots() {
    let output = Command::new(env!("CARGO_BIN_EXE_export-arcade"))
        .arg("--check")
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
