//! The broker's jars: Apache Kafka and its dependencies from Maven Central, resolved by Maven
//! from the committed `tests/kafka/pom.xml` and cached under `target/kafka/`.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use super::BrokerError;

/// The committed pom that names the broker's version.
pub fn pom() -> PathBuf {
    kafka_folder().join("pom.xml")
}

/// `tests/kafka/`: the pom and the broker's log configuration.
pub(super) fn kafka_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("kafka")
}

/// The workspace's `target/` (or `CARGO_TARGET_DIR`).
pub(super) fn workspace_target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The folder of jars to put on the broker's class path: `KAFKA_JARS` when set, else
/// `target/kafka/<hash of the pom>/`, filled by Maven on first use (a few seconds once the
/// local Maven repository has the jars; `.ci/run` resolves them up front). A changed pom gets
/// a folder of its own, so a version bump never runs stale jars.
pub fn broker_jars() -> Result<PathBuf, BrokerError> {
    if let Some(folder) = std::env::var_os("KAFKA_JARS") {
        return Ok(PathBuf::from(folder));
    }
    static RESOLVE: Mutex<()> = Mutex::new(());
    let _one_at_a_time = RESOLVE.lock().unwrap_or_else(|e| e.into_inner());
    let pom = pom();
    let text = fs::read(&pom)
        .map_err(|error| BrokerError::new(format!("cannot read {}: {error}", pom.display())))?;
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    let folder = workspace_target()
        .join("kafka")
        .join(format!("{:016x}", hasher.finish()));
    if folder.join("resolved.ok").exists() {
        return Ok(folder);
    }
    // Resolve into a fresh folder and rename it into place once complete, so an interrupted
    // run never leaves a half-filled folder that looks ready.
    let partial = folder.with_extension(format!("partial-{}", std::process::id()));
    if partial.exists() {
        fs::remove_dir_all(&partial)?;
    }
    eprintln!(
        "resolving the Kafka broker's jars with Maven from {} into {}",
        pom.display(),
        folder.display()
    );
    super::run(
        Command::new("mvn")
            .args(["--batch-mode", "--quiet", "--file"])
            .arg(&pom)
            .arg("dependency:copy-dependencies")
            .arg(format!("-DoutputDirectory={}", partial.display())),
        &format!("`mvn dependency:copy-dependencies` on {}", pom.display()),
        "the Kafka tests need Maven (and Java 17 or later) on PATH to fetch the broker",
    )?;
    // The marker says the folder is complete; it is written last.
    fs::write(partial.join("resolved.ok"), "")?;
    if let Err(error) = fs::rename(&partial, &folder) {
        // Another process finished first: use its folder.
        let _ = fs::remove_dir_all(&partial);
        if !folder.join("resolved.ok").exists() {
            return Err(error.into());
        }
    }
    Ok(folder)
}
