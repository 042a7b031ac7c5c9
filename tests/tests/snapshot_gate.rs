//! The snapshot gate: `cargo test` fails when a schema change would break consumers of the
//! committed snapshots. The catalog is checked against `schemas/`; the gate's own behaviour is
//! tested on fixture events of a fixture domain with snapshot folders of their own, so that
//! evolving the catalog the documented way never breaks these tests.

use std::path::Path;

use event_core::catalog::{EventDescriptor, Example};
use event_core::{DomainEvents, Envelope, KafkaEvent};
use event_tools::snapshot::{accept, gate, AcceptError, CurrentEvent, Finding, SnapshotStore};
use event_tools::Catalog;
// Version 1.0.0 of `arena.match.start`, the history every test starts from, is the tests'
// fixture event; the modules below are its evolutions (in the fixture's domain, `Arena`).
use kafka_events_tests::fixture::{self as baseline, Arena, Mode};
use serde::{Deserialize, Serialize};
use tempfile::TempDir;
use uuid::Uuid;

/// The gate itself: every catalog event against its committed history.
#[test]
fn the_catalog_matches_its_committed_snapshots() {
    event_tools::assert_snapshots(&event_domains::catalog());
}

/// A folder holding the accepted history of the baseline, shown as `schemas`.
fn scratch_store() -> (SnapshotStore, TempDir) {
    let folder = tempfile::tempdir().expect("scratch folder");
    let store = SnapshotStore::new(folder.path(), "schemas");
    let written = accept(&store, &current::<baseline::MatchStart>()).expect("baseline accepted");
    assert_eq!(written, ["schemas/arena/arena.match.start/v1/1.0.0.json"]);
    (store, folder)
}

fn current<E: KafkaEvent>() -> Vec<CurrentEvent> {
    vec![CurrentEvent::of(&EventDescriptor::of::<E>())]
}

fn exists(folder: &TempDir, file: &str) -> bool {
    folder.path().join(file).exists()
}

mod removed_field {
    use super::*;
    /// `ranked` is gone.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("arena.match.start", version = "1.1.0")]
    pub struct MatchStart {
        /// The match.
        pub match_id: Uuid,
        /// Map identifier.
        #[event(min_length = 1, max_length = 64)]
        pub map_id: String,
        /// How the match is played.
        pub mode: Mode,
        /// Player slots.
        #[event(minimum = 2, maximum = 128)]
        pub max_players: u16,
        /// Players placed in the match.
        #[event(max_items = 128, unique_items)]
        pub player_ids: Vec<Uuid>,
        /// Free-form operator note.
        #[event(max_length = 256)]
        pub note: Option<String>,
    }
}

#[test]
fn deleting_a_field_fails_with_a_buf_style_line() {
    let (store, folder) = scratch_store();
    let report = gate(&store, &current::<removed_field::MatchStart>(), false);
    assert!(!report.passes());
    let rendered = report.render("cargo run --bin export-arena -- --accept");
    assert!(
        rendered.contains(
            "schemas/arena/arena.match.start/v1/1.0.0.json:#/properties/data/properties/ranked: \
             PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL: a property was removed from a closed content model"
        ),
        "{rendered}"
    );
    assert!(
        rendered.contains("bump the event's major version"),
        "{rendered}"
    );
    // and accept refuses it, writing nothing
    let refused = accept(&store, &current::<removed_field::MatchStart>());
    assert!(matches!(refused, Err(AcceptError::Refused(_))));
    assert!(!exists(&folder, "arena/arena.match.start/v1/1.1.0.json"));
}

mod added_optional {
    use super::*;
    /// 1.1.0 adds an optional field.
    #[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[event("arena.match.start", version = "1.1.0")]
    pub struct MatchStart {
        /// The match.
        pub match_id: Uuid,
        /// Map identifier.
        #[event(min_length = 1, max_length = 64)]
        pub map_id: String,
        /// How the match is played.
        pub mode: Mode,
        /// Player slots.
        #[event(minimum = 2, maximum = 128)]
        pub max_players: u16,
        /// Players placed in the match.
        #[event(max_items = 128, unique_items)]
        pub player_ids: Vec<Uuid>,
        /// Whether results count for ranking.
        pub ranked: bool,
        /// Free-form operator note.
        #[event(max_length = 256)]
        pub note: Option<String>,
        /// New in 1.1: the season the match counts for.
        pub season: Option<u16>,
    }
}

mod added_optional_without_bump {
    use super::*;
    /// The same addition, still declared 1.0.0.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("arena.match.start", version = "1.0.0")]
    pub struct MatchStart {
        /// The match.
        pub match_id: Uuid,
        /// Map identifier.
        #[event(min_length = 1, max_length = 64)]
        pub map_id: String,
        /// How the match is played.
        pub mode: Mode,
        /// Player slots.
        #[event(minimum = 2, maximum = 128)]
        pub max_players: u16,
        /// Players placed in the match.
        #[event(max_items = 128, unique_items)]
        pub player_ids: Vec<Uuid>,
        /// Whether results count for ranking.
        pub ranked: bool,
        /// Free-form operator note.
        #[event(max_length = 256)]
        pub note: Option<String>,
        /// New in 1.1: the season the match counts for.
        pub season: Option<u16>,
    }
}

#[test]
fn adding_an_optional_field_with_a_minor_bump_passes_once_accepted() {
    let (store, folder) = scratch_store();
    let events = current::<added_optional::MatchStart>();
    let report = gate(&store, &events, false);
    let findings: Vec<Finding> = report.problems.iter().map(|p| p.finding).collect();
    assert_eq!(
        findings,
        [Finding::NotAccepted],
        "{}",
        report.render("accept")
    );
    let written = accept(&store, &events).expect("a compatible change is accepted");
    assert_eq!(written, ["schemas/arena/arena.match.start/v1/1.1.0.json"]);
    let after = gate(&store, &events, true);
    assert!(
        after.passes() && after.problems.is_empty(),
        "{}",
        after.render("accept")
    );
    // the old snapshot is still there: the history keeps every version
    assert!(exists(&folder, "arena/arena.match.start/v1/1.0.0.json"));
}

#[test]
fn a_changed_schema_without_a_version_bump_fails() {
    let (store, _folder) = scratch_store();
    let report = gate(
        &store,
        &current::<added_optional_without_bump::MatchStart>(),
        false,
    );
    let line = report
        .problems
        .iter()
        .find(|p| p.finding == Finding::VersionNotBumped)
        .unwrap_or_else(|| panic!("{}", report.render("accept")));
    assert!(line.sentence.contains("bump the minor"), "{line}");
    assert!(line.sentence.contains("version = \"1.1.0\""), "{line}");
}

mod new_required {
    use super::*;
    /// A narrower bound and a new required field.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("arena.match.start", version = "1.1.0")]
    pub struct MatchStart {
        /// The match.
        pub match_id: Uuid,
        /// Map identifier.
        #[event(min_length = 1, max_length = 32)]
        pub map_id: String,
        /// How the match is played.
        pub mode: Mode,
        /// Player slots.
        #[event(minimum = 2, maximum = 128)]
        pub max_players: u16,
        /// Players placed in the match.
        #[event(max_items = 128, unique_items)]
        pub player_ids: Vec<Uuid>,
        /// Whether results count for ranking.
        pub ranked: bool,
        /// Free-form operator note.
        #[event(max_length = 256)]
        pub note: Option<String>,
        pub season: u16,
    }
}

#[test]
fn a_required_field_or_a_narrower_bound_fails_every_problem_at_once() {
    let (store, _folder) = scratch_store();
    let report = gate(&store, &current::<new_required::MatchStart>(), false);
    let kinds: Vec<&str> = report.problems.iter().map(|p| p.kind.as_str()).collect();
    assert!(
        kinds.contains(&"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"MAX_LENGTH_DECREASED"), "{kinds:?}");
    assert!(report
        .render("accept")
        .contains(":#/properties/data/properties/map_id/maxLength: MAX_LENGTH_DECREASED:"));
}

mod major_bump {
    use super::*;
    /// 2.0.0: map ids are numbers.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("arena.match.start", version = "2.0.0")]
    pub struct MatchStart {
        /// The match.
        pub match_id: Uuid,
        /// Map identifier.
        pub map_id: u32,
    }
}

#[test]
fn a_breaking_change_with_a_new_major_starts_a_new_history_and_topic() {
    let (store, _folder) = scratch_store();
    assert_eq!(major_bump::MatchStart::TOPIC, "test.arena.events.v2");
    let events = current::<major_bump::MatchStart>();
    let report = gate(&store, &events, true);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].finding, Finding::NewEvent);
    assert!(
        report.problems[0].blocking,
        "on CI a missing snapshot fails"
    );
    assert!(report
        .render("cargo run --bin export-arena -- --accept")
        .contains("cargo run --bin export-arena -- --accept"));
    assert!(
        !gate(&store, &events, false).problems[0].blocking,
        "locally it warns"
    );
    let written = accept(&store, &events).expect("accepted");
    assert_eq!(written, ["schemas/arena/arena.match.start/v2/2.0.0.json"]);
}

#[test]
fn a_corrupt_snapshot_names_the_file_and_blocks_accept() {
    let (store, folder) = scratch_store();
    let file = folder.path().join("arena/arena.match.start/v1/1.0.0.json");
    std::fs::write(&file, "{ not json").expect("corrupt it");
    let events = current::<added_optional::MatchStart>();
    let report = gate(&store, &events, false);
    assert!(!report.passes());
    let rendered = report.render("accept");
    assert!(
        rendered.contains("schemas/arena/arena.match.start/v1/1.0.0.json: not valid JSON"),
        "{rendered}"
    );
    assert!(matches!(
        accept(&store, &events),
        Err(AcceptError::Refused(_))
    ));
    assert_eq!(
        std::fs::read_to_string(&file).expect("still there"),
        "{ not json"
    );
}

#[test]
fn snapshots_of_a_vanished_event_are_reported() {
    let (store, _folder) = scratch_store();
    let report = gate(&store, &[], false);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].finding, Finding::OrphanedSnapshot);
    assert!(report.problems[0]
        .to_string()
        .starts_with("schemas/arena/arena.match.start: ORPHANED_SNAPSHOT:"));
}

impl Example for added_optional::MatchStart {
    fn example() -> Self {
        added_optional::MatchStart {
            match_id: Uuid::from_u128(1),
            map_id: "dust".into(),
            mode: Mode::Teams,
            max_players: 16,
            player_ids: Vec::new(),
            ranked: true,
            note: None,
            season: Some(3),
        }
    }
}

/// The fixture catalog as a crate declares it, evolved to 1.1.0.
#[derive(DomainEvents, Debug, Clone, PartialEq)]
pub enum ArenaEvent {
    /// The evolved event.
    MatchStart(Envelope<added_optional::MatchStart>),
}

fn arena_catalog(snapshots: &Path) -> Catalog {
    Catalog::new("arena", snapshots)
        .with_snapshot_folder(snapshots)
        .with_domain::<ArenaEvent>()
        .with_export_binary("export-arena")
}

#[test]
fn assert_snapshots_fails_naming_the_catalogs_own_accept_command_then_passes_once_accepted() {
    let (store, folder) = scratch_store();
    let catalog = arena_catalog(folder.path());
    let failure = std::panic::catch_unwind(|| event_tools::assert_snapshots(&catalog))
        .expect_err("an unaccepted change fails the gate");
    let message = failure
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("`arena.match.start` 1.1.0 is compatible with 1.0.0 (")
            && message.contains(
                "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL at #/properties/data/properties/season) but not accepted yet"
            ),
        "the change is listed: {message}"
    );
    assert!(
        message.contains(
            "to accept new and compatible schemas: cargo run --bin export-arena -- --accept"
        ),
        "{message}"
    );
    accept(&store, &current::<added_optional::MatchStart>()).expect("accepted");
    event_tools::assert_snapshots(&catalog);
}

#[cfg(unix)]
#[test]
fn a_snapshot_that_is_a_symbolic_link_is_refused_not_followed() {
    let (store, folder) = scratch_store();
    let file = folder.path().join("arena/arena.match.start/v1/1.0.0.json");
    std::fs::remove_file(&file).expect("remove the snapshot");
    std::os::unix::fs::symlink("/dev/zero", &file).expect("link to /dev/zero");
    let report = gate(&store, &current::<baseline::MatchStart>(), false);
    assert!(!report.passes());
    let rendered = report.render("accept");
    assert!(rendered.contains("UNREADABLE_SNAPSHOT"), "{rendered}");
    assert!(rendered.contains("symbolic link"), "{rendered}");
    // and accept writes nothing through it
    assert!(matches!(
        accept(&store, &current::<added_optional::MatchStart>()),
        Err(AcceptError::Refused(_))
    ));
}
