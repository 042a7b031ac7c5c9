//! The binary record: layout order decides the archive's padding, every catalog event
//! round-trips exactly, hot-path events stay within the specification's 256 bytes, and hostile
//! bytes are errors.

use event_core::binary::{repr_c_size, ArchivedOf, Binary};
use event_core::catalog::{example_envelope, Example};
use event_core::codec::CodecError;
use event_core::{Envelope, KafkaEvent};
use event_tools::layout_report::{event_layout, render};
use kafka_events_tests::fixture::{AnnouncementPosted, Arena, MatchEnd, MatchStart};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// Declared in the worst order: every small field before a larger one.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, PartialEq)]
#[event("arena.layout.worst", binary)]
pub struct Worst {
    pub ready: bool,
    pub score: u64,
    pub alive: bool,
    pub tag: u16,
    pub kills: u32,
    pub name: String,
}

/// The same fields declared in the best order.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, PartialEq)]
#[event("arena.layout.best", binary)]
pub struct Best {
    pub name: String,
    pub score: u64,
    pub kills: u32,
    pub tag: u16,
    pub ready: bool,
    pub alive: bool,
}

/// What plain rkyv does with the worst declaration order.
#[derive(rkyv::Archive, rkyv::Serialize)]
pub struct WorstAsDeclared {
    pub ready: bool,
    pub score: u64,
    pub alive: bool,
    pub tag: u16,
    pub kills: u32,
    pub name: String,
}

#[test]
fn the_worst_declaration_order_archives_like_the_best() {
    let worst = std::mem::size_of::<ArchivedOf<Worst>>();
    let best = std::mem::size_of::<ArchivedOf<Best>>();
    let as_declared = std::mem::size_of::<ArchivedWorstAsDeclared>();
    assert_eq!(worst, best);
    assert!(
        worst < as_declared,
        "layout order {worst} bytes, declaration order {as_declared} bytes"
    );
    assert_eq!((worst, as_declared), (24, 32));
    // the report's arithmetic agrees with rkyv
    let fields = Worst::binary_fields();
    let declared = repr_c_size(fields.iter().map(|f| (f.archived_size, f.archived_align)));
    let ordered = repr_c_size(
        Worst::binary_layout_order()
            .iter()
            .map(|&i| (fields[i].archived_size, fields[i].archived_align)),
    );
    assert_eq!((ordered, declared), (worst, as_declared));
}

#[test]
fn a_record_round_trips_exactly() {
    let worst = Worst {
        ready: true,
        score: 9_000_000_001,
        alive: false,
        tag: 7,
        kills: 12,
        name: "Ana".into(),
    };
    let envelope = Envelope::new(worst);
    let bytes = envelope.to_binary().expect("valid");
    assert_eq!(
        Envelope::<Worst>::from_binary(&bytes).expect("decodes"),
        envelope
    );
    let archived = Envelope::<Worst>::access_binary(&bytes).expect("checked access");
    assert_eq!(archived.source.as_str(), "unknown");
}

#[test]
fn every_catalog_event_round_trips_and_hot_path_events_fit_256_bytes_or_are_explained() {
    let mut combat = 0;
    for event in event_domains::catalog().events().iter().copied() {
        (event.binary_round_trip)()
            .expect("every event of the game's catalog has a binary form")
            .unwrap_or_else(|e| panic!("{}: {e}", event.event_type()));
        let layout = event_layout(&event)
            .expect("report")
            .expect("a binary form");
        assert!(
            layout.archived_size_layout <= layout.archived_size_declared,
            "{}",
            event.event_type()
        );
        if event.descriptor.domain != "combat" {
            continue;
        }
        combat += 1;
        if layout.record_bytes > 256 {
            let reason = layout.reason.unwrap_or_else(|| {
                panic!("{} is over 256 bytes without a reason", event.event_type())
            });
            assert!(
                reason.contains("evidence"),
                "{}: {reason}",
                event.event_type()
            );
        }
    }
    assert_eq!(combat, 12);
    // today exactly one combat event is over: its evidence notes are free text
    let over: Vec<&str> = event_domains::catalog()
        .events()
        .to_vec()
        .iter()
        .filter(|e| e.descriptor.domain == "combat")
        .filter_map(|e| {
            event_layout(e)
                .ok()
                .flatten()
                .filter(|l| !l.within_budget)
                .map(|l| l.event_type)
        })
        .collect();
    assert_eq!(over, ["combat.anticheat.flagged"]);
}

#[test]
fn an_event_without_binary_has_no_layout_and_the_report_names_it() {
    let event = event_tools::catalog::CatalogEvent::of::<AnnouncementPosted>();
    assert_eq!((event.binary_round_trip)(), None);
    assert_eq!((event.binary_layout)(), None);
    assert_eq!(event_layout(&event), Ok(None));
    assert_eq!(event.declared_fields, ["message"]);
    let report = render(&[], &[event.event_type()]);
    assert_eq!(
        report,
        "no binary form (JSON only; `#[event(binary)]` derives one): arena.announcement.posted\n"
    );
}

#[test]
fn binary_decode_checks_type_and_constraints() {
    let bytes = example_envelope(MatchStart::example())
        .to_binary()
        .expect("valid");
    assert!(matches!(
        Envelope::<MatchEnd>::from_binary(&bytes),
        Err(CodecError::Binary(_) | CodecError::WrongEventType { .. })
    ));
    let mut invalid = MatchStart::example();
    invalid.max_players = 1;
    assert!(matches!(
        Envelope::new(invalid).to_binary(),
        Err(CodecError::Invalid(_))
    ));
    assert!(matches!(
        Envelope::<MatchStart>::from_binary(&bytes[..bytes.len() / 2]),
        Err(CodecError::Binary(_))
    ));
    assert!(matches!(
        Envelope::<MatchStart>::from_binary(&[]),
        Err(CodecError::Binary(_))
    ));
    // more than a message may hold is refused before anything is copied or read
    let huge = vec![0u8; event_core::codec::DecodeOptions::default().max_message_bytes + 1];
    assert!(matches!(
        Envelope::<MatchStart>::from_binary(&huge),
        Err(CodecError::TooLarge { .. })
    ));
    // unaligned input is copied, not rejected
    let mut shifted = vec![0u8];
    shifted.extend_from_slice(&bytes);
    assert!(Envelope::<MatchStart>::from_binary(&shifted[1..]).is_ok());
}

proptest! {
    #[test]
    fn hostile_bytes_are_errors_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Envelope::<MatchStart>::from_binary(&bytes);
    }

    #[test]
    fn corrupted_records_are_errors_never_panics(position in 0usize..400, byte in any::<u8>()) {
        let mut bytes = example_envelope(MatchStart::example()).to_binary().expect("valid").to_vec();
        let at = position % bytes.len();
        bytes[at] = byte;
        let _ = Envelope::<MatchStart>::from_binary(&bytes);
    }
}

/// Found by the `binary` fuzz target (`fuzz/`): bytes at an odd address. Checked access needs
/// rkyv's alignment and says so with a typed error; `from_binary` copies such bytes and
/// decodes them.
#[test]
fn unaligned_bytes_are_a_typed_error_for_access_and_decode_by_copy() {
    let bytes = example_envelope(MatchStart::example())
        .to_binary()
        .expect("encodes");
    let mut shifted = vec![0u8; bytes.len() + 1];
    shifted[1..].copy_from_slice(&bytes);
    let unaligned = &shifted[1..];
    assert!(matches!(
        Envelope::<MatchStart>::access_binary(unaligned),
        Err(CodecError::Binary(_))
    ));
    let decoded = Envelope::<MatchStart>::from_binary(unaligned).expect("decodes by copy");
    assert_eq!(decoded, example_envelope(MatchStart::example()));
}
