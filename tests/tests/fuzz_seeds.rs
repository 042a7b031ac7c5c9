//! Writes the fuzz targets' seed corpora (`fuzz/seeds/<target>/`) from the catalog: every
//! example as each domain's consumer receives it, every binary record and JSON envelope, every current schema
//! as a snapshot file. Run it when the catalog changes:
//! `cargo test -p kafka-events-tests --test fuzz_seeds -- --ignored`.

use std::path::{Path, PathBuf};

use event_core::catalog::{example_envelope, EventVisitor, Example};
use event_core::codec::{DomainEvents, EVENT_TYPE_HEADER};
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};
use event_tools::snapshot::current_events;

fn corpus(target: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    std::fs::create_dir_all(&folder).expect("corpus folder");
    folder
}

fn write(folder: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(folder.join(name), bytes).expect("seed written");
}

/// `[domain, 201, header length, header…, value…]`: the dispatch target's record format with
/// a raw header, so the seed does not depend on the order of `EVENT_TYPES`.
fn dispatch_seeds<E: DomainEvents>(domain: u8, folder: &Path) {
    for event in E::examples() {
        let record = event.to_record().expect("example encodes");
        let header = record.header(EVENT_TYPE_HEADER).expect("event_type header");
        let mut seed = vec![domain, 201, u8::try_from(header.len()).expect("short name")];
        seed.extend_from_slice(header);
        seed.extend_from_slice(&record.value);
        write(folder, &format!("{domain}-{}", event.event_type()), &seed);
    }
}

/// `[index, binary record or JSON…]` in the binary and json targets' visiting order.
struct IndexedSeeds<'a> {
    folder: &'a Path,
    index: u8,
    binary: bool,
}

impl EventVisitor for IndexedSeeds<'_> {
    fn visit<E: Example>(&mut self) {
        let envelope = example_envelope(E::example());
        let bytes = if self.binary {
            E::binary_value(&envelope).expect("every catalog event has a binary form")
        } else {
            envelope.to_json()
        }
        .expect("example encodes");
        let mut seed = vec![self.index];
        seed.extend_from_slice(&bytes);
        write(
            self.folder,
            &format!("{}-{}", self.index, E::EVENT_TYPE),
            &seed,
        );
        self.index += 1;
    }
}

#[test]
#[ignore = "writes the fuzz seed corpora; run by hand when the catalog changes"]
fn write_fuzz_seeds() {
    let dispatch = corpus("dispatch");
    dispatch_seeds::<CombatEvent>(0, &dispatch);
    dispatch_seeds::<EconomyEvent>(1, &dispatch);
    dispatch_seeds::<SocialEvent>(2, &dispatch);
    dispatch_seeds::<SystemEvent>(3, &dispatch);
    dispatch_seeds::<PlayerEvent>(4, &dispatch);

    for (target, binary) in [("binary", true), ("json", false)] {
        let folder = corpus(target);
        let mut seeds = IndexedSeeds {
            folder: &folder,
            index: 0,
            binary,
        };
        CombatEvent::visit_events(&mut seeds);
        EconomyEvent::visit_events(&mut seeds);
        SocialEvent::visit_events(&mut seeds);
        SystemEvent::visit_events(&mut seeds);
        PlayerEvent::visit_events(&mut seeds);
    }

    let snapshot = corpus("snapshot");
    let events = current_events(&event_domains::catalog()).expect("catalog");
    for (index, event) in events.iter().enumerate() {
        let mut seed = vec![u8::try_from(index).expect("fewer than 256 events")];
        seed.extend(serde_json::to_vec_pretty(&event.schema).expect("schema"));
        write(&snapshot, &format!("{index}-{}", event.event_type), &seed);
    }

    let config = corpus("config");
    write(
        &config,
        "client.properties",
        b"# cluster\nbootstrap.servers=kafka:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.username=scoreboard\nssl.ca.location=/etc/kafka/ca.pem\nacks = all\nlinger.ms: 5\nkey\\u0041=multi\\\n  line\n",
    );
}
