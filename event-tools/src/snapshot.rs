//! Schema snapshots: the committed contract of every event, and the gate that stops a change
//! that would break its consumers.
//!
//! Layout of the store (`schemas/` at the workspace root):
//! `{domain}/{event_type}/v{major}/{MAJOR.MINOR.PATCH}.json`, one file per accepted version, each
//! the complete document of [`event_core::KafkaEvent::json_schema`]. The files of one `v{major}`
//! folder are the history of that major version, oldest first by semantic version. A breaking
//! change needs a new major version, which starts a new folder (and goes to a new topic, see
//! [`event_core::domain::versioned_topic`]).
//!
//! [`gate`] compares every event's current schema with its history; [`accept`] writes the
//! snapshots of new events and compatible changes, atomically, and refuses everything else.

use std::cmp::Ordering;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use event_core::catalog::{CatalogError, EventDescriptor};
use event_core::compat::{
    check_history_with, diff_with, CheckOptions, CompatError, CompatMode, CompatPolicy,
};

use crate::catalog::Catalog;
use crate::fs::{read_regular_file, to_json_bytes, write_atomic, FileError};

/// The largest snapshot file the store reads (the game's are 10 to 30 KB).
pub const MAX_SNAPSHOT_BYTES: u64 = 4 * 1024 * 1024;

/// A snapshot's version: `MAJOR.MINOR.PATCH`, read from its file name with `semver`.
pub use semver::Version as SemVer;

/// The version of a snapshot file named `text` (`1.2.0`): `MAJOR.MINOR.PATCH` only, as the derive
/// accepts for an event, without pre-release or build parts.
///
/// ```
/// use event_tools::snapshot::parse_version;
/// assert_eq!(parse_version("1.10.0").map(|v| v.minor), Some(10));
/// assert!(parse_version("1.0").is_none() && parse_version("01.0.0").is_none());
/// assert!(parse_version("1.0.0-rc.1").is_none());
/// ```
pub fn parse_version(text: &str) -> Option<SemVer> {
    SemVer::parse(text)
        .ok()
        .filter(|version| version.pre.is_empty() && version.build.is_empty())
}

/// An event as the code declares it now.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentEvent {
    /// `domain.entity.action`.
    pub event_type: String,
    /// The domain.
    pub domain: String,
    /// The declared version.
    pub version: SemVer,
    /// The gate's compatibility mode.
    pub compat: CompatMode,
    /// The current document.
    pub schema: Value,
}

impl CurrentEvent {
    /// The current state of a registered event.
    pub fn of(descriptor: &EventDescriptor) -> Self {
        CurrentEvent {
            event_type: descriptor.event_type.to_owned(),
            domain: descriptor.domain.to_owned(),
            version: version_of(descriptor),
            compat: descriptor.compat,
            schema: (descriptor.json_schema)(),
        }
    }
}

/// The version an event's code declares, as the snapshots name it.
pub fn version_of(descriptor: &EventDescriptor) -> SemVer {
    SemVer::new(
        descriptor.version.major(),
        descriptor.version.minor(),
        descriptor.version.patch(),
    )
}

/// Errors reading or writing the store.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// A snapshot file is not valid JSON.
    #[error("{path}: not valid JSON ({error}); restore it from version control or delete it and accept again")]
    Corrupt {
        /// The file, as displayed.
        path: String,
        /// The parser's message.
        error: String,
    },
    /// A file in a history folder whose name is not `MAJOR.MINOR.PATCH.json`.
    #[error("{path}: a snapshot's file name must be MAJOR.MINOR.PATCH.json")]
    BadFileName {
        /// The file, as displayed.
        path: String,
    },
    /// A file whose version belongs to another major folder.
    #[error("{path}: version {version} does not belong in folder v{folder}")]
    WrongFolder {
        /// The file, as displayed.
        path: String,
        /// Its version.
        version: SemVer,
        /// The folder's major.
        folder: u64,
    },
    /// Reading or writing failed.
    #[error(transparent)]
    File(#[from] FileError),
}

/// One accepted version of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Its version.
    pub version: SemVer,
    /// Its file, as displayed (`schemas/combat/…/v1/1.0.0.json`).
    pub file: String,
    /// The document.
    pub schema: Value,
}

/// The snapshot folder.
#[derive(Debug, Clone)]
pub struct SnapshotStore {
    root: PathBuf,
    display: String,
}

impl SnapshotStore {
    /// The store at `root`, shown in messages as `display` (e.g. `schemas`).
    pub fn new(root: impl Into<PathBuf>, display: impl Into<String>) -> Self {
        SnapshotStore {
            root: root.into(),
            display: display.into(),
        }
    }

    fn history_dir(&self, domain: &str, event_type: &str, major: u64) -> (PathBuf, String) {
        let relative = format!("{domain}/{event_type}/v{major}");
        (
            self.root.join(&relative),
            format!("{}/{relative}", self.display),
        )
    }

    /// The file of one version, and how it is displayed.
    pub fn file_of(&self, event: &CurrentEvent) -> (PathBuf, String) {
        let (dir, shown) = self.history_dir(&event.domain, &event.event_type, event.version.major);
        let name = format!("{}.json", event.version);
        (dir.join(&name), format!("{shown}/{name}"))
    }

    /// The history of an event's major version, oldest first.
    pub fn history(
        &self,
        domain: &str,
        event_type: &str,
        major: u64,
    ) -> Result<Vec<Snapshot>, SnapshotError> {
        let (dir, shown) = self.history_dir(domain, event_type, major);
        if fs::symlink_metadata(&dir).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return Err(FileError::refused(
                "refusing to read the history folder",
                &dir,
                "it is a symbolic link",
            )
            .into());
        }
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(FileError::at("cannot read folder", &dir)(error).into()),
        };
        let mut history = Vec::new();
        for entry in entries {
            let entry = entry.map_err(FileError::at("cannot read folder", &dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue; // a temporary file of an interrupted write
            }
            let file = format!("{shown}/{name}");
            let version = name
                .strip_suffix(".json")
                .and_then(parse_version)
                .ok_or_else(|| SnapshotError::BadFileName { path: file.clone() })?;
            if version.major != major {
                return Err(SnapshotError::WrongFolder {
                    path: file,
                    version,
                    folder: major,
                });
            }
            let bytes = read_regular_file(&entry.path(), MAX_SNAPSHOT_BYTES)?;
            let schema =
                serde_json::from_slice(&bytes).map_err(|error| SnapshotError::Corrupt {
                    path: file.clone(),
                    error: error.to_string(),
                })?;
            history.push(Snapshot {
                version,
                file,
                schema,
            });
        }
        history.sort_by(|a, b| a.version.cmp(&b.version));
        Ok(history)
    }

    /// Every version of an event accepted so far, all major versions, oldest first.
    pub fn all_versions(
        &self,
        domain: &str,
        event_type: &str,
    ) -> Result<Vec<Snapshot>, SnapshotError> {
        let folder = self.root.join(domain).join(event_type);
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(FileError::at("cannot read folder", &folder)(error).into()),
        };
        let mut majors: Vec<u64> = entries
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|entry| {
                let name = entry.file_name();
                name.to_str()?.strip_prefix('v')?.parse().ok()
            })
            .collect();
        majors.sort_unstable();
        let mut versions = Vec::new();
        for major in majors {
            versions.extend(self.history(domain, event_type, major)?);
        }
        Ok(versions)
    }

    /// Every `(domain, event_type)` that has a snapshot folder.
    pub fn stored_events(&self) -> Result<Vec<(String, String)>, SnapshotError> {
        let mut found = Vec::new();
        let domains = match fs::read_dir(&self.root) {
            Ok(domains) => domains,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(found),
            Err(error) => return Err(FileError::at("cannot read folder", &self.root)(error).into()),
        };
        // Folders only, not links to folders: the store never reads outside its tree.
        let is_folder = |entry: &fs::DirEntry| entry.file_type().is_ok_and(|t| t.is_dir());
        for domain in domains.flatten().filter(is_folder) {
            let events = fs::read_dir(domain.path())
                .map_err(FileError::at("cannot read folder", &domain.path()))?;
            for event in events.flatten().filter(is_folder) {
                found.push((
                    domain.file_name().to_string_lossy().into_owned(),
                    event.file_name().to_string_lossy().into_owned(),
                ));
            }
        }
        found.sort();
        Ok(found)
    }
}

/// What kind of problem the gate found (besides Confluent's change kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// A change that breaks a reader (its Confluent kind is in [`Problem::kind`]).
    Breaking,
    /// The schema changed but the version did not.
    VersionNotBumped,
    /// A compatible change with a bumped version that is not accepted yet.
    NotAccepted,
    /// An event with no snapshot for its major version.
    NewEvent,
    /// The declared version is older than the latest snapshot.
    VersionBehindSnapshot,
    /// Snapshots of an event that no type declares any more.
    OrphanedSnapshot,
    /// A snapshot that cannot be read.
    UnreadableSnapshot,
}

/// One problem, printed the way `buf breaking` prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// What.
    pub finding: Finding,
    /// The snapshot file it concerns.
    pub file: String,
    /// The JSON pointer, for a change.
    pub pointer: Option<String>,
    /// A Confluent change kind or the finding's name.
    pub kind: String,
    /// What changed and what to do.
    pub sentence: String,
    /// Whether it fails the gate (a new event outside CI only warns).
    pub blocking: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pointer {
            Some(pointer) => write!(
                f,
                "{}:{}: {}: {}",
                self.file, pointer, self.kind, self.sentence
            ),
            None => write!(f, "{}: {}: {}", self.file, self.kind, self.sentence),
        }
    }
}

/// A snapshot the accept step would write.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Where.
    pub path: PathBuf,
    /// As displayed.
    pub file: String,
    /// The document.
    pub schema: Value,
}

/// The gate's verdict over a whole catalog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GateReport {
    /// Every problem, in catalog order.
    pub problems: Vec<Problem>,
    /// What `accept` would write.
    pub pending: Vec<Pending>,
}

impl GateReport {
    /// Whether the gate passes.
    pub fn passes(&self) -> bool {
        self.problems.iter().all(|p| !p.blocking)
    }

    /// The report as text: one line per problem, then what to do; `accept_command` is the
    /// command the user's crate accepts snapshots with ([`Catalog::accept_command`]).
    pub fn render(&self, accept_command: &str) -> String {
        let mut out: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        let finding = |f: Finding| self.problems.iter().any(|p| p.finding == f);
        if finding(Finding::Breaking)
            || finding(Finding::VersionNotBumped)
            || finding(Finding::VersionBehindSnapshot)
        {
            out.push(format!(
                "to fix: undo the breaking change, or bump the event's major version (a new major starts a new \
                 history and a new topic, `{{topic}}.v{{major}}`) and accept it with {accept_command}; a compatible \
                 change needs a minor bump"
            ));
        }
        if finding(Finding::NotAccepted) || finding(Finding::NewEvent) {
            out.push(format!(
                "to accept new and compatible schemas: {accept_command} (then commit the snapshots)"
            ));
        }
        if finding(Finding::OrphanedSnapshot) {
            out.push(
                "to retire an event: delete its snapshot folder and commit the deletion".to_owned(),
            );
        }
        out.join("\n")
    }
}

/// The options the gate checks with: strict policy, Confluent's blind spots reported.
pub const GATE_OPTIONS: CheckOptions = CheckOptions {
    policy: CompatPolicy::Strict,
    confluent_quirks: false,
};

/// Compares every event with its snapshots. `ci` makes a missing snapshot an error.
pub fn gate(store: &SnapshotStore, events: &[CurrentEvent], ci: bool) -> GateReport {
    let mut report = GateReport::default();
    for event in events {
        judge(store, event, ci, &mut report);
    }
    match store.stored_events() {
        Ok(stored) => {
            for (domain, event_type) in stored {
                if !events
                    .iter()
                    .any(|e| e.event_type == event_type && e.domain == domain)
                {
                    report.problems.push(Problem {
                        finding: Finding::OrphanedSnapshot,
                        file: format!("{}/{domain}/{event_type}", store.display),
                        pointer: None,
                        kind: "ORPHANED_SNAPSHOT".to_owned(),
                        sentence: format!("no type in the code declares `{event_type}` any more, but its snapshots remain"),
                        blocking: true,
                    });
                }
            }
        }
        Err(error) => report.problems.push(unreadable(&store.display, &error)),
    }
    report
}

fn unreadable(file: &str, error: &SnapshotError) -> Problem {
    Problem {
        finding: Finding::UnreadableSnapshot,
        file: file.to_owned(),
        pointer: None,
        kind: "UNREADABLE_SNAPSHOT".to_owned(),
        sentence: error.to_string(),
        blocking: true,
    }
}

fn judge(store: &SnapshotStore, event: &CurrentEvent, ci: bool, report: &mut GateReport) {
    let (path, file) = store.file_of(event);
    let history = match store.history(&event.domain, &event.event_type, event.version.major) {
        Ok(history) => history,
        Err(error) => {
            report.problems.push(unreadable(&file, &error));
            return;
        }
    };
    let pending = Pending {
        path,
        file: file.clone(),
        schema: event.schema.clone(),
    };
    let Some(latest) = history.last() else {
        report.problems.push(Problem {
            finding: Finding::NewEvent,
            file,
            pointer: None,
            kind: "NEW_EVENT".to_owned(),
            sentence: format!(
                "`{}` {} has no snapshot yet{}",
                event.event_type,
                event.version,
                if ci {
                    "; snapshots must be accepted and committed before CI"
                } else {
                    " (accept it before you commit)"
                }
            ),
            blocking: ci,
        });
        report.pending.push(pending);
        return;
    };
    match event.version.cmp(&latest.version) {
        Ordering::Less => report.problems.push(Problem {
            finding: Finding::VersionBehindSnapshot,
            file: latest.file.clone(),
            pointer: None,
            kind: "VERSION_BEHIND_SNAPSHOT".to_owned(),
            sentence: format!(
                "the code declares {} but version {} is already accepted; declare {} or later",
                event.version, latest.version, latest.version
            ),
            blocking: true,
        }),
        Ordering::Equal if latest.schema == event.schema => {}
        Ordering::Equal => {
            let breaking = push_breaking(report, event, &history);
            report.problems.push(Problem {
                finding: Finding::VersionNotBumped,
                file: latest.file.clone(),
                pointer: None,
                kind: "VERSION_NOT_BUMPED".to_owned(),
                sentence: format!(
                    "the schema of `{}` changed but its version is still {}: {}",
                    event.event_type,
                    event.version,
                    if breaking {
                        "the change breaks readers, so it needs a new major version".to_owned()
                    } else {
                        format!(
                            "bump the minor for a compatible change (version = \"{}.{}.0\")",
                            event.version.major,
                            event.version.minor + 1
                        )
                    }
                ),
                blocking: true,
            });
        }
        Ordering::Greater => {
            if !push_breaking(report, event, &history) {
                report.problems.push(Problem {
                    finding: Finding::NotAccepted,
                    file,
                    pointer: None,
                    kind: "NOT_ACCEPTED".to_owned(),
                    sentence: format!(
                        "`{}` {} is compatible with {} ({}) but not accepted yet",
                        event.event_type,
                        event.version,
                        latest.version,
                        change_list(&latest.schema, &event.schema)
                    ),
                    blocking: true,
                });
                report.pending.push(pending);
            }
        }
    }
}

/// The changes from `latest` to `current`, as `KIND at /pointer` joined by `, ` (the gate's
/// options: kafka-events' own kinds such as `PII_TAG_ADDED` included).
fn change_list(latest: &Value, current: &Value) -> String {
    match diff_with(latest, current, GATE_OPTIONS) {
        Ok(changes) if changes.is_empty() => "no change in validation".to_owned(),
        Ok(changes) => changes
            .iter()
            .map(|(kind, pointer)| format!("{kind} at {pointer}"))
            .collect::<Vec<_>>()
            .join(", "),
        Err(error) => format!("changes not listed: {error}"),
    }
}

/// Adds a problem per breaking change of `event` against its history; whether there was one.
fn push_breaking(report: &mut GateReport, event: &CurrentEvent, history: &[Snapshot]) -> bool {
    let schemas: Vec<Value> = history.iter().map(|s| s.schema.clone()).collect();
    let result = check_history_with(&schemas, &event.schema, event.compat, GATE_OPTIONS);
    let changes = match result {
        Ok(report) => report.breaking().cloned().collect::<Vec<_>>(),
        Err(error) => {
            report.problems.push(compat_error(history, &error));
            return true;
        }
    };
    for change in &changes {
        report.problems.push(Problem {
            finding: Finding::Breaking,
            file: history[change.against].file.clone(),
            pointer: Some(change.pointer.clone()),
            kind: change.kind.name().to_owned(),
            sentence: change.sentence(),
            blocking: true,
        });
    }
    !changes.is_empty()
}

fn compat_error(history: &[Snapshot], error: &CompatError) -> Problem {
    Problem {
        finding: Finding::UnreadableSnapshot,
        file: history.last().map(|s| s.file.clone()).unwrap_or_default(),
        pointer: None,
        kind: "NOT_COMPARABLE".to_owned(),
        sentence: error.to_string(),
        blocking: true,
    }
}

/// Why [`accept`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// Some changes cannot be accepted: the whole accept is refused.
    #[error("nothing was written; these changes cannot be accepted:\n{}", .0.render("the same command"))]
    Refused(GateReport),
    /// A write failed (files written before it are complete: each write is atomic).
    #[error(transparent)]
    File(#[from] FileError),
}

/// Writes the snapshots of new events and compatible changes. Refuses, writing nothing, when
/// anything else is wrong: a breaking change without a new major, a changed schema without a
/// new version, a version behind its snapshot, an unreadable snapshot. Returns the files
/// written.
pub fn accept(store: &SnapshotStore, events: &[CurrentEvent]) -> Result<Vec<String>, AcceptError> {
    let report = gate(store, events, false);
    let refusals: Vec<Problem> = report
        .problems
        .iter()
        .filter(|p| {
            !matches!(
                p.finding,
                Finding::NewEvent | Finding::NotAccepted | Finding::OrphanedSnapshot
            )
        })
        .cloned()
        .collect();
    if !refusals.is_empty() {
        return Err(AcceptError::Refused(GateReport {
            problems: refusals,
            pending: Vec::new(),
        }));
    }
    let mut written = Vec::new();
    for pending in &report.pending {
        write_atomic(&pending.path, &to_json_bytes(&pending.schema))?;
        written.push(pending.file.clone());
    }
    Ok(written)
}

/// The snapshot store of `catalog`, shown relative to its root.
pub fn catalog_store(catalog: &Catalog) -> SnapshotStore {
    let folder = catalog.snapshot_folder();
    SnapshotStore::new(folder, display_path(folder, catalog.root()))
}

/// The current state of every event of `catalog`, or the error naming duplicate event names.
pub fn current_events(catalog: &Catalog) -> Result<Vec<CurrentEvent>, CatalogError> {
    catalog.check_unique()?;
    Ok(catalog
        .events()
        .iter()
        .map(|event| CurrentEvent::of(&event.descriptor))
        .collect())
}

/// The gate over `catalog` and its snapshot folder; on CI ([`on_ci`]) a missing snapshot fails.
pub fn check_catalog(catalog: &Catalog) -> Result<GateReport, CatalogError> {
    Ok(gate(
        &catalog_store(catalog),
        &current_events(catalog)?,
        on_ci(),
    ))
}

/// The snapshot gate as one test: fails (panics, as `assert!` does) with the rendered report,
/// naming each change and the catalog's own accept command, when an event of `catalog` does
/// not match its committed snapshots. Warnings (an unaccepted new event off CI) are printed.
///
/// ```no_run
/// # fn catalog() -> event_tools::Catalog { event_tools::Catalog::new("ops", ".") }
/// #[test]
/// fn schemas_match_their_snapshots() {
///     event_tools::assert_snapshots(&catalog());
/// }
/// ```
///
/// # Panics
/// When the gate fails, or two types declare one event name.
#[track_caller]
pub fn assert_snapshots(catalog: &Catalog) {
    let report = match check_catalog(catalog) {
        Ok(report) => report,
        Err(error) => panic!("\n{error}\n"),
    };
    for warning in report.problems.iter().filter(|p| !p.blocking) {
        eprintln!("warning: {warning}");
    }
    assert!(
        report.passes(),
        "\n{}\n",
        report.render(&catalog.accept_command())
    );
}

/// Whether this process runs on CI (the `CI` variable is set and not `false`/`0`).
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A store's folder for display: `path` relative to `base` when inside it (`.` when it is
/// `base` itself).
pub fn display_path(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(relative) if relative.as_os_str().is_empty() => ".".to_owned(),
        Ok(relative) => relative.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}
