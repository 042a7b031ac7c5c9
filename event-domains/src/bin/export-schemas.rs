//! `cargo run --bin export-schemas`: writes every schema of the catalog, the bundle, the topic
//! configurations and the examples. Run with `--help` for the options.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use event_domains::catalog;
use event_domains::export::{export_files, write_files};

const USAGE: &str = "\
export-schemas: write the JSON Schemas, bundle, topic configurations and examples of the catalog

USAGE:
    cargo run --bin export-schemas -- [OPTIONS]

OPTIONS:
    --out DIR    output folder (default: out/ at the workspace root); created if its parent exists
    -h, --help   print this help

WRITES (under the output folder):
    schemas/{domain}/{event}.json    the Draft 7 schema of each event's envelope
    examples/{domain}/{event}.json   a realistic example of each event, valid against its schema
    topics/{topic}.json              each topic's Kafka configuration and its events
    kafka-events-schema.json         one bundle accepting any event of the catalog";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Export { out: PathBuf },
    Help,
}

fn default_out() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(|root| root.join("out"))
        .unwrap_or_else(|| PathBuf::from("out"))
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut out = default_out();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--out" => match args.next() {
                Some(dir) if !dir.starts_with("--") => out = PathBuf::from(dir),
                _ => return Err("--out needs a folder, e.g. --out target/schemas".to_owned()),
            },
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Command::Export { out })
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
        Command::Export { out } => match export(&out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

fn export(out: &Path) -> Result<(), String> {
    let events = catalog::events();
    event_core::registry::catalog().map_err(|e| e.to_string())?;
    let files = export_files(&events).map_err(|e| e.to_string())?;
    let summary = write_files(out, &files).map_err(|e| e.to_string())?;
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
        "  files: {} written, {} unchanged ({} schemas, {} examples, {} topics, 1 bundle)",
        summary.written,
        summary.unchanged,
        events.len(),
        events.len(),
        files.len() - 2 * events.len() - 1
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
            parse_args(args(&["--out", "x"])),
            Ok(Command::Export {
                out: PathBuf::from("x")
            })
        );
        assert!(parse_args(args(&["--out"])).is_err());
        assert!(parse_args(args(&["--bogus"]))
            .unwrap_err()
            .contains("--bogus"));
    }
}
