//! `cargo run --bin export-schemas`: the game's schemas, snapshots, topics, examples and
//! generated code. Run with `--help` for the options.

fn main() -> std::process::ExitCode {
    event_tools::cli::main(&event_domains::catalog())
}
