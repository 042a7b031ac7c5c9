//! The browsable catalog `export-schemas` writes: every page of the game's catalog, output that
//! does not change between runs, and — on a fixture event with three accepted versions — the
//! version history listing the checker's changes, compatible and breaking apart. The pages in
//! a real browser (links, search, accessibility) are checked by `.ci/check_site.js`.

use std::path::Path;
use std::process::ExitCode;

use event_core::catalog::{EventDescriptor, Example};
use event_core::{DomainEvents, Envelope, KafkaEvent};
use event_tools::cli::{run, Command};
use event_tools::codegen::Language;
use event_tools::site::{page_name, site_files, SiteOptions};
use event_tools::snapshot::{accept, CurrentEvent, SnapshotStore};
use event_tools::Catalog;
use kafka_events_tests::fixture::{self as baseline, Arena, Mode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

fn text_of(files: &[event_tools::codegen::SourceFile], name: &str) -> String {
    files
        .iter()
        .find(|file| file.path == Path::new(name))
        .unwrap_or_else(|| panic!("no {name}"))
        .text
        .clone()
}

#[test]
fn the_game_catalog_has_an_index_and_a_page_per_event_and_the_same_output_each_time() {
    let catalog = event_domains::catalog();
    let files = site_files(&catalog, &SiteOptions::default()).expect("site");
    assert_eq!(
        files,
        site_files(&catalog, &SiteOptions::default()).expect("site")
    );
    let index = text_of(&files, "index.html");
    for event in catalog.events() {
        let page = page_name(event.event_type());
        assert!(
            index.contains(&format!("href=\"{page}\"")),
            "the index links {page}"
        );
        let html = text_of(&files, &page);
        assert!(html.contains(&format!("<h1>{}</h1>", event.event_type())));
        assert!(
            html.contains("<svg class=\"layout\""),
            "{page}: layout picture"
        );
        assert!(html.contains("id=\"history\""), "{page}: history");
    }
    assert_eq!(
        files.len(),
        catalog.events().len() + 3,
        "pages, style, search"
    );
    // Personal data and the declared services are shown where the catalog has them.
    let chat = text_of(&files, "social.chat.message_sent.html");
    assert!(chat.contains("<code>/data/text</code> (data subject <code>sender_id</code>)"));
    assert!(chat.contains("<span class=\"pii\">PII</span>"));
    assert!(chat.contains("<dt>reads</dt><dd><code>analytics</code>, <code>moderation</code></dd>"));
}

#[test]
fn without_a_language_its_files_are_not_linked() {
    let options = SiteOptions {
        languages: vec![Language::TypeScript],
        ..SiteOptions::default()
    };
    let files = site_files(&event_domains::catalog(), &options).expect("site");
    let attack = text_of(&files, "combat.player.attack.html");
    assert!(attack.contains("href=\"../typescript/kafka-events.ts\""));
    assert!(!attack.contains("../go/events.go"));
    assert!(!attack.contains("../asyncapi.json"));
}

/// `arena.match.start` 1.1.0: its map id may be longer (compatible for readers of the new
/// schema).
mod longer_map_id {
    use super::*;

    /// A match started.
    #[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[event("arena.match.start", version = "1.1.0")]
    pub struct MatchStart {
        /// The match.
        pub match_id: Uuid,
        /// Map identifier.
        #[event(min_length = 1, max_length = 128)]
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
    }

    impl Example for MatchStart {
        fn example() -> Self {
            let base = baseline::MatchStart::example();
            MatchStart {
                match_id: base.match_id,
                map_id: base.map_id,
                mode: base.mode,
                max_players: base.max_players,
                player_ids: base.player_ids,
                ranked: base.ranked,
                note: base.note,
            }
        }
    }

    /// The fixture domain with this version.
    #[derive(DomainEvents, Debug, Clone, PartialEq)]
    pub enum ArenaEvent {
        /// [`MatchStart`].
        MatchStart(Envelope<MatchStart>),
    }
}

#[test]
fn an_event_with_three_versions_lists_the_changes_between_each_two() {
    let folder = tempfile::tempdir().expect("scratch folder");
    let snapshots = folder.path().join("schemas");
    let store = SnapshotStore::new(&snapshots, "schemas");
    let accepted = |descriptor: EventDescriptor| {
        accept(&store, &[CurrentEvent::of(&descriptor)]).expect("accepted")
    };
    accepted(EventDescriptor::of::<baseline::MatchStart>());
    accepted(EventDescriptor::of::<longer_map_id::MatchStart>());
    // 2.0.0, written by hand: the map id is shorter again, which breaks a reader of old data.
    let v1 = snapshots.join("arena/arena.match.start/v1/1.1.0.json");
    let mut v2: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&v1).expect("1.1.0")).expect("json");
    v2["definitions"]["MatchStart"]["properties"]["map_id"]["maxLength"] = 16.into();
    std::fs::create_dir_all(snapshots.join("arena/arena.match.start/v2")).expect("v2");
    std::fs::write(
        snapshots.join("arena/arena.match.start/v2/2.0.0.json"),
        serde_json::to_vec_pretty(&v2).expect("json"),
    )
    .expect("2.0.0");

    let catalog = Catalog::new("arena", folder.path())
        .with_domain::<longer_map_id::ArenaEvent>()
        .with_snapshot_folder(&snapshots);
    let files = site_files(&catalog, &SiteOptions::default()).expect("site");
    let page = text_of(&files, "arena.match.start.html");
    // This twin of the fixture has no `#[event(binary)]`: no record to draw.
    assert!(page.contains("has no binary form: it travels as JSON only"));
    assert!(!page.contains("<svg class=\"layout\""));
    let history = &page[page.find("id=\"history\"").expect("history")..];
    assert!(history
        .contains("<li>1.0.0: <code>schemas/arena/arena.match.start/v1/1.0.0.json</code></li>"));
    assert!(history.contains("<li>1.1.0 (current): "));
    assert!(history.contains("<li>2.0.0: "));
    let step = |from: &str| {
        let start = history.find(&format!("<h3>From {from}")).expect("step");
        let rest = &history[start + 4..];
        rest[..rest.find("<h3>").unwrap_or(rest.len())].to_owned()
    };
    let compatible = step("1.0.0 to 1.1.0");
    assert!(
        compatible.contains("1 change: 1 compatible, 0 breaking."),
        "{compatible}"
    );
    assert!(compatible.contains("<code>MAX_LENGTH_INCREASED</code>"));
    assert!(compatible.contains("<code>#/properties/data/properties/map_id/maxLength</code>"));
    let breaking = step("1.1.0 to 2.0.0");
    assert!(breaking.contains("0 compatible, 1 breaking."), "{breaking}");
    assert!(breaking.contains("<code>MAX_LENGTH_DECREASED</code>"));
    assert!(breaking.contains("<span class=\"breaking\">breaking</span>"));
}

#[test]
fn export_schemas_writes_the_site_where_it_is_told_or_not_at_all() {
    let folder = tempfile::tempdir().expect("scratch folder");
    let catalog = event_domains::catalog();
    let export = |out: &str, site: Option<&str>| {
        run(
            &catalog,
            &Command::Export {
                out: folder.path().join(out),
                languages: Vec::new(),
                site: site.map(|site| folder.path().join(site)),
            },
        )
    };
    assert_eq!(export("a", Some("a/site")), ExitCode::SUCCESS);
    assert!(folder.path().join("a/site/index.html").is_file());
    let page = std::fs::read_to_string(folder.path().join("a/site/combat.player.attack.html"))
        .expect("page");
    assert!(page.contains("href=\"../schemas/combat/combat.player.attack.json\""));

    assert_eq!(export("b", Some("elsewhere")), ExitCode::SUCCESS);
    let page = std::fs::read_to_string(folder.path().join("elsewhere/combat.player.attack.html"))
        .expect("page");
    assert!(page.contains("href=\"../b/schemas/combat/combat.player.attack.json\""));

    assert_eq!(export("c", None), ExitCode::SUCCESS);
    assert!(!folder.path().join("c/site").exists());

    // A site folder whose parent is missing fails before anything is written.
    assert_eq!(export("d", Some("missing/site")), ExitCode::FAILURE);
    assert!(!folder.path().join("d").exists());
}
