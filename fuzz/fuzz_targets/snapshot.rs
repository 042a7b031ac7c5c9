//! The snapshot gate reading a committed snapshot file with any bytes (snapshot files come
//! from pull requests): it reports, never panics, and the current schema itself passes.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use event_tools::snapshot::{current_events, gate, CurrentEvent, SnapshotStore};
use libfuzzer_sys::fuzz_target;

struct Setup {
    _folder: tempfile::TempDir,
    store: SnapshotStore,
    events: Vec<CurrentEvent>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let folder = tempfile::tempdir().expect("temporary folder");
        let store = SnapshotStore::new(folder.path(), "schemas");
        let events = current_events(&event_domains::catalog()).expect("the catalog builds");
        Setup {
            _folder: folder,
            store,
            events,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, contents)) = data.split_first() else {
        return;
    };
    let setup = setup();
    let event = &setup.events[usize::from(selector) % setup.events.len()];
    let (path, _shown): (PathBuf, String) = setup.store.file_of(event);
    let folder = path.parent().expect("a snapshot file has a folder");
    std::fs::create_dir_all(folder).expect("folder");
    std::fs::write(&path, contents).expect("snapshot written");
    let report = gate(&setup.store, std::slice::from_ref(event), false);
    let _text = report.render("cargo run --bin export-schemas -- --accept");
    std::fs::remove_file(&path).expect("snapshot removed");
});
