//! `cargo bench --bench compile_time`: how long a crate of 200 events takes to build with
//! `#[derive(KafkaEvent)]` against the same structs with `serde` + `schemars` derives (what a
//! user would otherwise write), side by side: generated crates with the same 200 structs
//! (8 fields each, a few constraints) — JSON only (the default), with the binary form too
//! (`#[event(.., binary)]`), and serde + schemars — their dependencies built first, then each
//! crate alone built from clean (debug, as `cargo build` and `cargo test` do), three times, the
//! median reported. `COMPILE_TIME_EVENTS` changes the number of events.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One generated crate.
struct Generated {
    name: &'static str,
    dir: PathBuf,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned()
}

/// The 200 structs: fields of the kinds the catalog has, each with its constraint attribute
/// in the style of `derive`.
fn structs(count: usize, derive: &str, constraint: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    for i in 0..count {
        let _ = write!(
            out,
            r#"
/// Event number {i}: something happened.
{derive_attrs}
pub struct Event{i} {{
    /// The session.
    pub session_id: uuid::Uuid,
    /// The player.
    pub player_id: uuid::Uuid,
    /// A name.
    {name_constraint}
    pub name: String,
    /// An optional note.
    pub note: Option<String>,
    /// A count.
    pub count: u32,
    /// A ratio.
    pub ratio: f64,
    /// Tags.
    {tags_constraint}
    pub tags: Vec<String>,
    /// Whether it counts.
    pub ranked: bool,
}}
"#,
            derive_attrs = derive.replace("{i}", &i.to_string()),
            name_constraint = constraint("max_length = 64"),
            tags_constraint = constraint("max_items = 16"),
        );
    }
    out
}

fn generate(root: &Path, count: usize) -> [Generated; 3] {
    let workspace = workspace();
    let lock = std::fs::read(workspace.join("Cargo.lock")).expect("the workspace's lock file");
    let derive = Generated {
        name: "events-kafka-event",
        dir: root.join("events-kafka-event"),
    };
    let binary = Generated {
        name: "events-kafka-event-binary",
        dir: root.join("events-kafka-event-binary"),
    };
    let serde = Generated {
        name: "events-serde-schemars",
        dir: root.join("events-serde-schemars"),
    };
    let manifest = |name: &str, dependencies: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\n{dependencies}"
        )
    };
    let core = workspace.join("event-core");
    let derive_dependencies = format!(
        "event-core = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nuuid = {{ version = \"1\", features = [\"serde\", \"v4\"] }}\n",
        core.display().to_string()
    );
    let serde_dependencies = "schemars = { version = \"1\", features = [\"uuid1\"] }\nserde = { version = \"1\", features = [\"derive\"] }\nuuid = { version = \"1\", features = [\"serde\", \"v4\"] }\n";
    let derive_source = |flags: &str| {
        format!(
            "event_core::domain! {{ pub struct Bench {{ name: \"bench\", topic: \"bench.events\", partitions: 1, retention_days: 1, priority: Low }} }}\n{}",
            structs(
                count,
                &format!("#[derive(event_core::KafkaEvent, serde::Serialize, serde::Deserialize)]\n#[event(\"bench.entity.action{{i}}\"{flags})]"),
                |constraint| format!("#[event({constraint})]"),
            )
        )
    };
    let serde_source = structs(
        count,
        "#[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]",
        |constraint| match constraint {
            "max_length = 64" => "#[schemars(length(max = 64))]".to_owned(),
            _ => "#[schemars(length(max = 16))]".to_owned(),
        },
    );
    for (generated, dependencies, source) in [
        (&derive, derive_dependencies.as_str(), derive_source("")),
        (
            &binary,
            derive_dependencies.as_str(),
            derive_source(", binary"),
        ),
        (&serde, serde_dependencies, serde_source),
    ] {
        std::fs::create_dir_all(generated.dir.join("src")).expect("folder");
        std::fs::write(
            generated.dir.join("Cargo.toml"),
            manifest(generated.name, dependencies),
        )
        .expect("manifest");
        std::fs::write(generated.dir.join("Cargo.lock"), &lock).expect("lock file");
        std::fs::write(generated.dir.join("src/lib.rs"), source).expect("source");
    }
    [derive, binary, serde]
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) {
    let status = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .expect("cargo");
    assert!(status.success(), "cargo {args:?} in {}", dir.display());
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let count: usize = std::env::var("COMPILE_TIME_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let root = workspace().join("target/compile-time");
    let _ = std::fs::remove_dir_all(root.join("events-kafka-event/src"));
    let crates = generate(&root, count);
    let target = root.join("target");
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); crates.len()];
    for generated in &crates {
        // Dependencies first (and the crate once), so that only the crate is timed.
        cargo(&generated.dir, &target, &["build", "--quiet"]);
    }
    for _ in 0..3 {
        for (i, generated) in crates.iter().enumerate() {
            cargo(
                &generated.dir,
                &target,
                &["clean", "--quiet", "-p", generated.name],
            );
            let start = Instant::now();
            cargo(&generated.dir, &target, &["build", "--quiet"]);
            times[i].push(start.elapsed());
        }
    }
    let median = |samples: &mut Vec<Duration>| {
        samples.sort();
        samples[samples.len() / 2]
    };
    let derive = median(&mut times[0]);
    let binary = median(&mut times[1]);
    let serde = median(&mut times[2]);
    let ratio = |time: Duration| time.as_secs_f64() / serde.as_secs_f64();
    println!("compile time of {count} events, clean debug build of the crate alone, median of 3 (dependencies prebuilt):");
    println!();
    println!("| crate | build | ratio | goal |");
    println!("|---|---|---|---|");
    println!(
        "| `#[derive(KafkaEvent, Serialize, Deserialize)]` + constraints (JSON only, the default) | {:.1} s | {:.2}× | ≤ 1.3× |",
        derive.as_secs_f64(),
        ratio(derive)
    );
    println!(
        "| the same with `#[event(.., binary)]` (the binary form too) | {:.1} s | {:.2}× | |",
        binary.as_secs_f64(),
        ratio(binary)
    );
    println!(
        "| `#[derive(Serialize, Deserialize, JsonSchema)]` (schemars 1) + constraints | {:.1} s | 1.00× | |",
        serde.as_secs_f64()
    );
}
