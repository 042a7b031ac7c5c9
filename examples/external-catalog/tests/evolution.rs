//! Evolving an event the wrong way fails the gate: a temporary copy of this crate renames a
//! field of `arcade.score.submitted` without a new major version, and its `cargo test` fails
//! naming the change and this crate's own accept command.

use std::path::Path;
use std::process::Command;

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn a_breaking_change_in_a_copy_fails_its_gate_naming_the_change_and_the_accept_command() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let framework = crate_dir
        .join("../..")
        .canonicalize()
        .expect("framework root");
    let copy = tempfile::tempdir().expect("scratch");
    for folder in ["src", "schemas"] {
        copy_folder(&crate_dir.join(folder), &copy.path().join(folder));
    }
    std::fs::create_dir_all(copy.path().join("tests")).expect("tests folder");
    std::fs::copy(
        crate_dir.join("tests/snapshots.rs"),
        copy.path().join("tests/snapshots.rs"),
    )
    .expect("gate test");
    std::fs::copy(crate_dir.join("Cargo.lock"), copy.path().join("Cargo.lock")).expect("lock");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml"))
        .expect("manifest")
        .replace("\"../../", &format!("\"{}/", framework.display()))
        .replace(
            "[dev-dependencies]\nserde_json = \"1\"\ntempfile = \"3\"\n",
            "",
        );
    std::fs::write(copy.path().join("Cargo.toml"), manifest).expect("manifest");
    let source = std::fs::read_to_string(crate_dir.join("src/lib.rs")).expect("lib.rs");
    let renamed = source
        .replace("pub initials: String", "pub tag: String")
        .replace("initials: \"ACE\".to_owned()", "tag: \"ACE\".to_owned()");
    assert_ne!(renamed, source, "the copy changes the field");
    std::fs::write(copy.path().join("src/lib.rs"), renamed).expect("lib.rs");

    let output = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--test", "snapshots"])
        .current_dir(copy.path())
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("evolution"),
        )
        .env_remove("CI")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "the gate must fail:\n{stdout}");
    for expected in [
        "schemas/arcade/arcade.score.submitted/v1/1.0.0.json:#/properties/data/properties/initials: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "VERSION_NOT_BUMPED: the schema of `arcade.score.submitted` changed but its version is still 1.0.0",
        "cargo run --bin export-arcade",
    ] {
        assert!(stdout.contains(expected), "`{expected}` missing from:\n{stdout}");
    }
}
