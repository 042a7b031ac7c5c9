//! The snapshot gate: `cargo test` fails when a schema change would break consumers of the
//! committed snapshots in `schemas/`.

use std::path::{Path, PathBuf};

use event_core::registry::EventDescriptor;
use event_core::snapshot::{
    accept, gate, on_ci, AcceptError, CurrentEvent, Finding, SnapshotStore,
};
use event_core::KafkaEvent;
use event_domains::shared::{GameMode, Region};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

fn committed_schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn catalog_now() -> Vec<CurrentEvent> {
    event_domains::catalog::events()
        .iter()
        .map(|e| CurrentEvent::of(&e.descriptor))
        .collect()
}

/// The gate itself: every catalog event against its committed history.
#[test]
fn the_catalog_matches_its_committed_snapshots() {
    let report = gate(
        &SnapshotStore::new(committed_schemas(), "schemas"),
        &catalog_now(),
        on_ci(),
    );
    for warning in report.problems.iter().filter(|p| !p.blocking) {
        eprintln!("warning: {warning}");
    }
    assert!(report.passes(), "\n{}\n", report.render());
}

/// A scratch store holding a copy of the committed history of `combat.session.start`.
fn scratch_store(name: &str) -> (SnapshotStore, PathBuf) {
    let root =
        std::env::temp_dir().join(format!("kafka-events-gate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let source = committed_schemas().join("combat/combat.session.start/v1");
    let target = root.join("combat/combat.session.start/v1");
    std::fs::create_dir_all(&target).expect("scratch folder");
    for entry in std::fs::read_dir(&source).expect("committed history") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), target.join(entry.file_name())).expect("copy");
    }
    (SnapshotStore::new(&root, "schemas"), root)
}

fn current<E: KafkaEvent>() -> Vec<CurrentEvent> {
    vec![CurrentEvent::of(&EventDescriptor::of::<E>("test"))]
}

mod removed_field {
    use super::*;
    /// A match-maker opened a new combat session.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("combat.session.start", version = "1.1.0")]
    pub struct CombatSessionStart {
        /// The new session.
        pub session_id: Uuid,
        /// Map identifier.
        #[event(min_length = 1, max_length = 64)]
        pub map_id: String,
        /// How the session is played.
        pub mode: GameMode,
        /// Server region hosting the session.
        pub region: Region,
        /// Player slots.
        #[event(minimum = 2, maximum = 128)]
        pub max_players: u16,
        /// Players placed in the session by the match-maker.
        #[event(max_items = 128, unique_items)]
        pub player_ids: Vec<Uuid>,
        /// Free-form operator note.
        #[event(max_length = 256)]
        pub note: Option<String>,
    }
}

#[test]
fn deleting_a_field_fails_with_a_buf_style_line() {
    let (store, root) = scratch_store("removed");
    let report = gate(
        &store,
        &current::<removed_field::CombatSessionStart>(),
        false,
    );
    assert!(!report.passes());
    let rendered = report.render();
    assert!(
        rendered.contains(
            "schemas/combat/combat.session.start/v1/1.0.0.json:#/properties/data/properties/ranked: \
             PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL: a property was removed from a closed content model"
        ),
        "{rendered}"
    );
    assert!(
        rendered.contains("bump the event's major version"),
        "{rendered}"
    );
    // and accept refuses it, writing nothing
    let refused = accept(&store, &current::<removed_field::CombatSessionStart>());
    assert!(matches!(refused, Err(AcceptError::Refused(_))));
    assert!(!root
        .join("combat/combat.session.start/v1/1.1.0.json")
        .exists());
    std::fs::remove_dir_all(root).expect("clean up");
}

mod added_optional {
    use super::*;
    /// A match-maker opened a new combat session.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("combat.session.start", version = "1.1.0")]
    pub struct CombatSessionStart {
        /// The new session.
        pub session_id: Uuid,
        /// Map identifier.
        #[event(min_length = 1, max_length = 64)]
        pub map_id: String,
        /// How the session is played.
        pub mode: GameMode,
        /// Server region hosting the session.
        pub region: Region,
        /// Player slots.
        #[event(minimum = 2, maximum = 128)]
        pub max_players: u16,
        /// Players placed in the session by the match-maker.
        #[event(max_items = 128, unique_items)]
        pub player_ids: Vec<Uuid>,
        /// Whether results count for ranking.
        pub ranked: bool,
        /// Free-form operator note.
        #[event(max_length = 256)]
        pub note: Option<String>,
        /// New in 1.1: the season the session counts for.
        pub season: Option<u16>,
    }
}

mod added_optional_without_bump {
    use super::*;
    /// A match-maker opened a new combat session.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("combat.session.start", version = "1.0.0")]
    pub struct CombatSessionStart {
        /// The new session.
        pub session_id: Uuid,
        /// Map identifier.
        #[event(min_length = 1, max_length = 64)]
        pub map_id: String,
        /// How the session is played.
        pub mode: GameMode,
        /// Server region hosting the session.
        pub region: Region,
        /// Player slots.
        #[event(minimum = 2, maximum = 128)]
        pub max_players: u16,
        /// Players placed in the session by the match-maker.
        #[event(max_items = 128, unique_items)]
        pub player_ids: Vec<Uuid>,
        /// Whether results count for ranking.
        pub ranked: bool,
        /// Free-form operator note.
        #[event(max_length = 256)]
        pub note: Option<String>,
        /// The season the session counts for.
        pub season: Option<u16>,
    }
}

#[test]
fn adding_an_optional_field_with_a_minor_bump_passes_once_accepted() {
    let (store, root) = scratch_store("optional");
    let events = current::<added_optional::CombatSessionStart>();
    let report = gate(&store, &events, false);
    let findings: Vec<Finding> = report.problems.iter().map(|p| p.finding).collect();
    assert_eq!(findings, [Finding::NotAccepted], "{}", report.render());
    let written = accept(&store, &events).expect("a compatible change is accepted");
    assert_eq!(
        written,
        ["schemas/combat/combat.session.start/v1/1.1.0.json"]
    );
    let after = gate(&store, &events, true);
    assert!(
        after.passes() && after.problems.is_empty(),
        "{}",
        after.render()
    );
    // the old snapshot is still there: the history keeps every version
    assert!(root
        .join("combat/combat.session.start/v1/1.0.0.json")
        .exists());
    std::fs::remove_dir_all(root).expect("clean up");
}

#[test]
fn a_changed_schema_without_a_version_bump_fails() {
    let (store, root) = scratch_store("nobump");
    let report = gate(
        &store,
        &current::<added_optional_without_bump::CombatSessionStart>(),
        false,
    );
    let line = report
        .problems
        .iter()
        .find(|p| p.finding == Finding::VersionNotBumped)
        .unwrap_or_else(|| panic!("{}", report.render()));
    assert!(line.sentence.contains("bump the minor"), "{line}");
    std::fs::remove_dir_all(root).expect("clean up");
}

mod new_required {
    use super::*;
    /// A match-maker opened a new combat session.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("combat.session.start", version = "1.1.0")]
    pub struct CombatSessionStart {
        /// The new session.
        pub session_id: Uuid,
        /// Map identifier (now at most 32 characters).
        #[event(min_length = 1, max_length = 32)]
        pub map_id: String,
        /// How the session is played.
        pub mode: GameMode,
        /// Server region hosting the session.
        pub region: Region,
        /// Player slots.
        #[event(minimum = 2, maximum = 128)]
        pub max_players: u16,
        /// Players placed in the session by the match-maker.
        #[event(max_items = 128, unique_items)]
        pub player_ids: Vec<Uuid>,
        /// Whether results count for ranking.
        pub ranked: bool,
        /// Free-form operator note.
        #[event(max_length = 256)]
        pub note: Option<String>,
        /// A new required field.
        pub season: u16,
    }
}

#[test]
fn a_required_field_or_a_narrower_bound_fails_every_problem_at_once() {
    let (store, root) = scratch_store("required");
    let report = gate(
        &store,
        &current::<new_required::CombatSessionStart>(),
        false,
    );
    let kinds: Vec<&str> = report.problems.iter().map(|p| p.kind.as_str()).collect();
    assert!(
        kinds.contains(&"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"MAX_LENGTH_DECREASED"), "{kinds:?}");
    assert!(report
        .render()
        .contains(":#/properties/data/properties/map_id/maxLength: MAX_LENGTH_DECREASED:"));
    std::fs::remove_dir_all(root).expect("clean up");
}

mod major_bump {
    use super::*;
    /// A match-maker opened a new combat session (2.0: map ids are numbers).
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("combat.session.start", version = "2.0.0")]
    pub struct CombatSessionStart {
        /// The new session.
        pub session_id: Uuid,
        /// Map number.
        pub map_id: u32,
    }
}

#[test]
fn a_breaking_change_with_a_new_major_starts_a_new_history_and_topic() {
    let (store, root) = scratch_store("major");
    assert_eq!(
        major_bump::CombatSessionStart::TOPIC,
        "game.combat.events.v2"
    );
    let events = current::<major_bump::CombatSessionStart>();
    let report = gate(&store, &events, true);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].finding, Finding::NewEvent);
    assert!(
        report.problems[0].blocking,
        "on CI a missing snapshot fails"
    );
    assert!(report
        .render()
        .contains("cargo run --bin export-schemas -- --accept"));
    assert!(
        !gate(&store, &events, false).problems[0].blocking,
        "locally it warns"
    );
    let written = accept(&store, &events).expect("accepted");
    assert_eq!(
        written,
        ["schemas/combat/combat.session.start/v2/2.0.0.json"]
    );
    std::fs::remove_dir_all(root).expect("clean up");
}

#[test]
fn a_corrupt_snapshot_names_the_file_and_blocks_accept() {
    let (store, root) = scratch_store("corrupt");
    let file = root.join("combat/combat.session.start/v1/1.0.0.json");
    std::fs::write(&file, "{ not json").expect("corrupt it");
    let events = current::<added_optional::CombatSessionStart>();
    let report = gate(&store, &events, false);
    assert!(!report.passes());
    assert!(
        report
            .render()
            .contains("schemas/combat/combat.session.start/v1/1.0.0.json: not valid JSON"),
        "{}",
        report.render()
    );
    assert!(matches!(
        accept(&store, &events),
        Err(AcceptError::Refused(_))
    ));
    assert_eq!(
        std::fs::read_to_string(&file).expect("still there"),
        "{ not json"
    );
    std::fs::remove_dir_all(root).expect("clean up");
}

#[test]
fn snapshots_of_a_vanished_event_are_reported() {
    let (store, root) = scratch_store("orphan");
    let report = gate(&store, &[], false);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].finding, Finding::OrphanedSnapshot);
    assert!(report.problems[0]
        .to_string()
        .starts_with("schemas/combat/combat.session.start: ORPHANED_SNAPSHOT:"));
    std::fs::remove_dir_all(root).expect("clean up");
}
