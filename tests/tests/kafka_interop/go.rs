//! `interop/go`: the generated structs, franz-go and santhosh-tekuri/jsonschema.

use std::process::Command;
use std::sync::OnceLock;

use super::{build_step, stage, Program};

/// The Go program, built once (`go build`, modules from the Go module proxy).
fn program() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let (export, source) = stage("go", &["main.go", "go.mod", "go.sum"]);
        let binary = source.join("interop-go");
        build_step(
            "go build",
            Command::new("go")
                .args(["build", "-o"])
                .arg(&binary)
                .arg(".")
                .current_dir(&source)
                .env("GOFLAGS", "-mod=mod")
                .env("GOTOOLCHAIN", "local"),
        );
        Program {
            language: "go",
            command: vec![binary.into()],
            export,
        }
    })
}

#[test]
fn go_writes_every_example_and_the_rust_consumers_read_each_validated_and_equal() {
    super::writes_every_example_for_the_rust_consumers(program());
}

#[test]
fn rust_writes_every_example_and_go_reads_each_validated_and_reencoded_equal() {
    // Go also decodes each into its generated struct and compares the re-encoded JSON.
    super::reads_every_example_the_rust_producer_wrote(program());
}

#[test]
fn an_event_go_writes_against_its_schema_is_dead_lettered_by_rust() {
    super::an_invalid_event_is_dead_lettered_by_rust(program());
}
