//! The runtime codec: the generated validator against the jsonschema crate, validated JSON
//! encode/decode, hostile input, Kafka records and per-domain dispatch.

use event_core::catalog::{example_envelope, Example};
use std::borrow::Cow;

use event_core::codec::{
    decode_envelope, event_type_of, CodecError, DecodeOptions, DispatchError, HeaderSet,
    RecordOptions, WireFormat, BINARY_CONTENT_TYPE,
};
use event_core::validate::Validate;
use event_core::{DomainEvents, Envelope, KafkaEvent};
use event_domains::{CombatEvent, GameEvent};
use kafka_events_tests::fixture::{AnnouncementPosted, ArenaEvent, MatchEnd, MatchStart};
use kafka_events_tests::{data_definition, draft7_validator, violation};
use proptest::prelude::*;
use serde_json::{json, Value};

#[test]
fn the_generated_validator_agrees_with_jsonschema_on_every_catalog_event() {
    let mut compared = 0;
    for event in event_domains::catalog().events().iter().copied() {
        let schema = (event.descriptor.json_schema)();
        let validator = draft7_validator(&schema);
        let example = (event.example_envelope)();
        assert!(validator.is_valid(&example));
        assert_eq!(
            (event.validate)(&example).expect("decodes"),
            Ok(()),
            "{}",
            event.event_type()
        );
        let definition = data_definition(&schema);
        for (name, property) in definition["properties"].as_object().expect("properties") {
            let mut candidates: Vec<Value> = violation(property).into_iter().collect();
            // a value inside the bounds too, so both sides also agree on valid changes
            if let (Some(max), Some(min)) = (
                property["maxLength"].as_u64(),
                property["minLength"].as_u64(),
            ) {
                candidates.push(Value::String("y".repeat(((min + max) / 2) as usize)));
            }
            for candidate in candidates {
                let mut mutated = example.clone();
                mutated["data"][name] = candidate.clone();
                let schema_says = validator.is_valid(&mutated);
                match (event.validate)(&mutated) {
                    Ok(generated) => {
                        compared += 1;
                        assert_eq!(
                            generated.is_ok(),
                            schema_says,
                            "{}: data.{name} = {candidate}: generated {generated:?}",
                            event.event_type()
                        );
                    }
                    // serde rejects it (a number out of the Rust type's range, say): so must the schema
                    Err(_) => assert!(
                        !schema_says,
                        "{}: data.{name} = {candidate}",
                        event.event_type()
                    ),
                }
            }
        }
    }
    assert!(compared > 40, "only {compared} comparisons");
}

#[test]
fn violations_carry_the_json_pointer_and_keyword() {
    let mut event = MatchStart::example();
    event.map_id = "m".repeat(65);
    event.max_players = 1;
    event.player_ids = vec![event.match_id, event.match_id];
    event.note = Some("é".repeat(257));
    let violations = Envelope::new(event)
        .validate()
        .expect_err("four violations");
    let found: Vec<(String, &str)> = violations
        .iter()
        .map(|v| (v.pointer.clone(), v.keyword))
        .collect();
    assert_eq!(
        found,
        [
            ("/data/map_id".to_owned(), "maxLength"),
            ("/data/max_players".to_owned(), "minimum"),
            ("/data/player_ids".to_owned(), "uniqueItems"),
            ("/data/note".to_owned(), "maxLength"),
        ]
    );
}

#[test]
fn items_over_max_items_are_not_compared_for_uniqueness() {
    // 200 copies of one id: over max_items (128), and every pair repeats. Only the bound is
    // reported: comparing the items of an array already rejected would cost work that grows
    // with the square of the input.
    let mut event = MatchStart::example();
    event.player_ids = vec![event.match_id; 200];
    let violations = Envelope::new(event.clone())
        .validate()
        .expect_err("too many items");
    let found: Vec<&str> = violations.iter().map(|v| v.keyword).collect();
    assert_eq!(found, ["maxItems"]);
    // within the bound, repeats are still found
    event.player_ids.truncate(2);
    let violations = Envelope::new(event).validate().expect_err("repeats");
    assert_eq!(violations[0].keyword, "uniqueItems");
}

#[test]
fn every_example_round_trips_through_json_and_records() {
    for event in event_domains::catalog().events().iter().copied() {
        let record = (event.example_record)().expect("encodes");
        assert_eq!(record.topic, event.descriptor.topic);
        assert_eq!(
            record.header("event_type"),
            Some(event.event_type().as_bytes())
        );
        let value: Value = serde_json::from_slice(&record.value).expect("json");
        assert_eq!(value, (event.example_envelope)());
    }
    let envelope = example_envelope(MatchStart::example());
    let bytes = envelope.to_json().expect("valid");
    assert_eq!(
        Envelope::<MatchStart>::from_json(&bytes).expect("decodes"),
        envelope
    );
}

/// Records written as binary records.
fn binary() -> RecordOptions {
    RecordOptions {
        format: WireFormat::Binary,
        ..RecordOptions::default()
    }
}

#[test]
fn every_example_round_trips_as_a_binary_record_through_its_domain_enum() {
    for example in CombatEvent::examples() {
        let record = example.to_record_with(&binary()).expect("encodes");
        assert_eq!(
            record.header("content-type"),
            Some(BINARY_CONTENT_TYPE.as_bytes())
        );
        let json = example.to_record().expect("encodes");
        assert!(record.value.len() < json.value.len(), "smaller than JSON");
        assert_eq!(record.key, json.key);
        assert_eq!(
            CombatEvent::decode_record(&record).expect("decodes"),
            example
        );
        // Read as JSON, the binary value is malformed; read as binary, JSON is corrupt.
        let as_json = CombatEvent::decode(record.header("event_type"), &record.value);
        assert_eq!(as_json.map_err(|e| e.kind()).err(), Some("malformed"));
        let as_binary =
            CombatEvent::decode_as(json.header("event_type"), WireFormat::Binary, &json.value);
        assert_eq!(as_binary.map_err(|e| e.kind()).err(), Some("binary"));
    }
    // A record of an unknown content type names it.
    let mut record = CombatEvent::examples()[0].to_record().expect("encodes");
    record.headers.retain(|(name, _)| *name != "content-type");
    record.headers.push(("content-type", b"text/csv".to_vec()));
    let error = CombatEvent::decode_record(&record).expect_err("text/csv");
    assert_eq!(error.kind(), "unsupported_content_type");
    assert!(error.to_string().contains("`text/csv`"), "{error}");
}

#[test]
fn lean_records_carry_the_event_type_and_a_binary_content_type_only_and_read_back() {
    let names = |record: &event_core::codec::KafkaRecord| -> Vec<&'static str> {
        record.headers.iter().map(|(name, _)| *name).collect()
    };
    for format in [WireFormat::Json, WireFormat::Binary] {
        let options = RecordOptions {
            format,
            headers: HeaderSet::Lean,
            ..RecordOptions::default()
        };
        for example in CombatEvent::examples() {
            let full = example
                .to_record_with(&RecordOptions {
                    format,
                    ..RecordOptions::default()
                })
                .expect("encodes");
            let lean = example.to_record_with(&options).expect("encodes");
            let expected = match format {
                WireFormat::Json => vec!["event_type"],
                WireFormat::Binary => vec!["event_type", "content-type"],
            };
            assert_eq!(names(&lean), expected, "{format:?}");
            assert!(names(&full).contains(&"event_version"));
            // The same value and key: only headers the value repeats are left out.
            assert_eq!((&lean.value, &lean.key), (&full.value, &full.key));
            assert_eq!(CombatEvent::decode_record(&lean).expect("decodes"), example);
        }
    }
    // The correlation id stays in the value.
    let envelope = example_envelope(MatchStart::example());
    assert!(envelope.correlation_id().is_some());
    let lean = envelope
        .to_record_with(&RecordOptions {
            headers: HeaderSet::Lean,
            ..RecordOptions::default()
        })
        .expect("valid");
    assert_eq!(lean.header("correlation_id"), None);
    let read = Envelope::<MatchStart>::from_json(&lean.value).expect("decodes");
    assert_eq!(read.correlation_id(), envelope.correlation_id());
}

#[test]
fn headerless_json_records_are_dispatched_on_the_envelopes_own_event_type() {
    let headerless = |format| RecordOptions {
        format,
        headers: HeaderSet::None,
        ..RecordOptions::default()
    };
    let examples = GameEvent::examples();
    assert_eq!(
        examples.len(),
        GameEvent::EVENT_TYPES.len(),
        "every catalog event"
    );
    for example in examples {
        let json = example
            .to_record_with(&headerless(WireFormat::Json))
            .expect("encodes");
        let full = example.to_record().expect("encodes");
        assert!(json.headers.is_empty(), "{:?}", json.headers);
        assert_eq!((&json.value, &json.key), (&full.value, &full.key));
        // Read from the envelope's first members, as written: nothing else parsed.
        assert!(
            matches!(
                event_type_of(None, &json.value),
                Ok(Cow::Borrowed(name)) if name == example.event_type()
            ),
            "{}",
            example.event_type()
        );
        assert_eq!(GameEvent::decode_record(&json).expect("decodes"), example);
        // A binary record names its event by a hash: it keeps the lean headers.
        let binary = example
            .to_record_with(&headerless(WireFormat::Binary))
            .expect("encodes");
        if binary.value != json.value {
            let names: Vec<&str> = binary.headers.iter().map(|(name, _)| *name).collect();
            assert_eq!(names, ["event_type", "content-type"]);
        }
        assert_eq!(GameEvent::decode_record(&binary).expect("decodes"), example);
    }
}

#[test]
fn the_body_names_the_event_when_the_header_does_not() {
    let envelope = example_envelope(MatchStart::example());
    let value = envelope.to_json().expect("valid");
    // The envelope written by another writer, `event_type` after the data: read by a parse.
    let mut reordered: serde_json::Map<String, Value> =
        serde_json::from_slice(&value).expect("JSON");
    let name = reordered.shift_remove("event_type").expect("event_type");
    reordered.insert("event_type".to_owned(), name);
    let reordered = serde_json::to_vec(&reordered).expect("JSON");
    assert!(matches!(
        event_type_of(None, &reordered),
        Ok(Cow::Owned(name)) if name == MatchStart::EVENT_TYPE
    ));
    assert_eq!(
        ArenaEvent::decode(None, &reordered).expect("decodes"),
        ArenaEvent::decode(None, &value).expect("decodes")
    );
    assert_eq!(
        event_type_of(None, b"{\"event_id\":\"x\"}"),
        Err(DispatchError::MissingEventType)
    );
}

#[test]
fn an_event_without_a_binary_form_is_written_as_json_and_not_read_as_binary() {
    // The binary form is opt-in: `MatchEnd` says `#[event(.., binary)]`, `AnnouncementPosted`
    // does not.
    let end = example_envelope(MatchEnd::example());
    assert!(MatchEnd::binary_value(&end).is_some());
    assert!(MatchEnd::binary_layout().is_some());
    let envelope = example_envelope(AnnouncementPosted::example());
    assert!(AnnouncementPosted::binary_value(&envelope).is_none());
    assert!(AnnouncementPosted::binary_layout().is_none());
    let record = envelope.to_record_with(&binary()).expect("encodes");
    assert_eq!(
        record.header("content-type"),
        Some(b"application/json".as_slice())
    );
    assert_eq!(
        Envelope::<AnnouncementPosted>::from_json(&record.value).expect("JSON"),
        envelope
    );
    let error = decode_envelope::<AnnouncementPosted>(WireFormat::Binary, b"\x01\x02")
        .expect_err("no binary form");
    assert_eq!(error.kind(), "no_binary_form");
}

#[test]
fn records_are_keyed_for_ordering_and_carry_headers() {
    let envelope = example_envelope(MatchStart::example());
    let record = envelope
        .to_record_with(&RecordOptions {
            cloud_events: true,
            ..RecordOptions::default()
        })
        .expect("valid");
    let key = envelope.data().match_id.hyphenated().to_string();
    assert_eq!(record.key.as_deref(), Some(key.as_bytes()));
    assert_eq!(
        record.header("event_version"),
        Some(MatchStart::VERSION.as_str().as_bytes())
    );
    assert_eq!(
        record.header("content-type"),
        Some(&b"application/json"[..])
    );
    assert!(record.header("correlation_id").is_some());
    assert_eq!(record.header("ce_specversion"), Some(&b"1.0"[..]));
    assert_eq!(record.header("ce_type"), Some(&b"arena.match.start"[..]));
    assert_eq!(
        record.header("ce_id"),
        Some(envelope.event_id().to_string().as_bytes())
    );
    // an event with none of its domain's key fields has no key
    let announcement = example_envelope(AnnouncementPosted::example())
        .to_record()
        .expect("valid");
    assert_eq!(announcement.key, None);
    // an invalid event never becomes a record
    let mut broken = MatchStart::example();
    broken.max_players = 0;
    assert!(matches!(
        Envelope::new(broken).to_record(),
        Err(CodecError::Invalid(_))
    ));
}

fn start_bytes() -> Vec<u8> {
    example_envelope(MatchStart::example())
        .to_json()
        .expect("valid")
}

fn decode(bytes: &[u8]) -> Result<Envelope<MatchStart>, CodecError> {
    Envelope::<MatchStart>::from_json(bytes)
}

fn edited(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(&start_bytes()).expect("json");
    edit(&mut value);
    serde_json::to_vec(&value).expect("json")
}

#[test]
fn hostile_or_wrong_input_gives_typed_errors() {
    let bytes = start_bytes();
    let limit = DecodeOptions {
        max_message_bytes: 100,
    };
    assert_eq!(
        Envelope::<MatchStart>::from_json_with(&bytes, &limit),
        Err(CodecError::TooLarge {
            size: bytes.len(),
            limit: 100
        })
    );
    assert!(matches!(
        decode(&bytes[..bytes.len() / 2]),
        Err(CodecError::Malformed { .. })
    ));
    assert!(matches!(decode(b""), Err(CodecError::Malformed { .. })));
    assert!(matches!(
        decode(b"\xff\xfe garbage"),
        Err(CodecError::Malformed { .. })
    ));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        decode(deep.as_bytes()),
        Err(CodecError::Malformed { .. })
    ));

    let wrong_type = edited(|v| v["data"]["map_id"] = json!(42));
    match decode(&wrong_type) {
        Err(CodecError::Malformed { pointer, .. }) => assert_eq!(pointer, "/data/map_id"),
        other => panic!("{other:?}"),
    }
    let other_event = edited(|v| v["event_type"] = json!("arena.match.end"));
    assert_eq!(
        decode(&other_event),
        Err(CodecError::WrongEventType {
            expected: "arena.match.start",
            found: "arena.match.end".to_owned()
        })
    );
    let major = MatchStart::VERSION.major();
    let newer = edited(|v| v["version"] = json!(format!("{}.0.0", major + 1)));
    assert!(matches!(
        decode(&newer),
        Err(CodecError::IncompatibleVersion { expected, .. }) if expected == major
    ));
    // Another version of the same major is read; a malformed one is refused, though its
    // major matches (the version the type is written in skips the parse, no other does).
    let later = edited(|v| v["version"] = json!(format!("{major}.7.3")));
    assert_eq!(
        decode(&later).map(|e| e.version().to_owned()),
        Ok(format!("{major}.7.3"))
    );
    for malformed in [
        format!("{major}.0"),
        format!("{major}.01.0"),
        format!("{major}.0.0.1"),
    ] {
        let refused = edited(|v| v["version"] = json!(malformed));
        assert!(decode(&refused).is_err(), "{malformed}");
    }
    let invalid = edited(|v| v["data"]["max_players"] = json!(500));
    match decode(&invalid) {
        Err(CodecError::Invalid(violations)) => {
            assert_eq!(violations[0].pointer, "/data/max_players");
            assert_eq!(violations[0].keyword, "maximum");
        }
        other => panic!("{other:?}"),
    }
    let huge = edited(|v| v["data"]["max_players"] = json!(1e300));
    assert!(matches!(decode(&huge), Err(CodecError::Malformed { .. })));
}

proptest! {
    /// Any object with an `event_type` string among other members, in any order and with
    /// any characters (escaped by serde_json), is dispatched on that name: read from the
    /// first members when they are plain, parsed otherwise.
    #[test]
    fn the_body_names_its_event_whatever_its_members_order_and_escapes(
        before in proptest::collection::vec(("[a-z_]{1,8}", ".{0,12}"), 0..6),
        name in ".{1,24}",
        after in proptest::collection::vec(("[a-z_]{1,8}", ".{0,12}"), 0..3),
    ) {
        let mut members = serde_json::Map::new();
        for (key, value) in before.into_iter().filter(|(key, _)| key != "event_type") {
            members.insert(key, Value::String(value));
        }
        members.insert("event_type".to_owned(), Value::String(name.clone()));
        for (key, value) in after.into_iter().filter(|(key, _)| key != "event_type") {
            members.entry(key).or_insert(Value::String(value));
        }
        let bytes = serde_json::to_vec(&members).expect("JSON");
        prop_assert_eq!(event_type_of(None, &bytes).expect("named"), name);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn corrupted_valid_messages_never_panic(position in 0usize..2000, byte in any::<u8>()) {
        let mut bytes = start_bytes();
        let at = position % bytes.len();
        bytes[at] = byte;
        let _ = decode(&bytes);
        let _ = ArenaEvent::decode(None, &bytes);
    }
}

#[test]
fn a_domain_consumer_dispatches_every_event_to_its_variant() {
    for example in CombatEvent::examples() {
        let record = example.to_record().expect("valid");
        assert_eq!(
            CombatEvent::decode_record(&record).expect("decodes"),
            example
        );
        // without the header, the body names the event
        let body_only = CombatEvent::decode(None, &record.value).expect("decodes from the body");
        assert_eq!(body_only, example);
    }
    // every event of the combat domain is in its enum (cross-domain events it acts on too)
    for event in event_domains::catalog().events() {
        if event.descriptor.domain == "combat" {
            assert!(CombatEvent::EVENT_TYPES.contains(&event.event_type()));
        }
    }
    match ArenaEvent::decode_record(
        &(example_envelope(MatchStart::example()))
            .to_record()
            .expect("valid"),
    ) {
        Ok(ArenaEvent::MatchStart(envelope)) => {
            assert_eq!(envelope.data().max_players, 16)
        }
        other => panic!("{other:?}"),
    }
    // an event the enum does not list, though of its domain
    let announcement = example_envelope(AnnouncementPosted::example())
        .to_record()
        .expect("valid");
    assert!(matches!(
        ArenaEvent::decode_record(&announcement),
        Err(DispatchError::UnknownEventType {
            domain: "arena",
            ..
        })
    ));
    assert_eq!(
        ArenaEvent::decode(None, b"{}"),
        Err(DispatchError::MissingEventType)
    );
    // A header that is not UTF-8 is passed over for the body's name, through the catalog's
    // nested enums too; a name no event has is named in the error, as it came.
    let start = example_envelope(MatchStart::example())
        .to_json()
        .expect("valid");
    assert!(matches!(
        ArenaEvent::decode(Some(b"\xffarena"), &start),
        Ok(ArenaEvent::MatchStart(_))
    ));
    let combat = CombatEvent::examples().remove(0);
    let record = combat.to_record().expect("valid");
    assert_eq!(
        GameEvent::decode(Some(b"\xff"), &record.value).expect("decodes from the body"),
        GameEvent::Combat(combat)
    );
    assert_eq!(
        ArenaEvent::decode(Some("arena.match.dé".as_bytes()), &start),
        Err(DispatchError::UnknownEventType {
            event_type: "arena.match.dé".to_owned(),
            domain: "arena",
        })
    );
}

/// Logging an event never shows its personal data: `Debug` of the envelope names the field's
/// length, and its validation errors name the rule, not the value.
#[test]
fn personal_data_is_not_printed_by_debug_or_validation_errors() {
    use event_domains::social::ChatMessageSent;
    let mut message = ChatMessageSent::example();
    message.text = "Ada's secret".repeat(50).into();
    let envelope = example_envelope(message);
    let printed = format!("{envelope:?}");
    assert!(!printed.contains("Ada"), "{printed}");
    let violations = envelope.validate().expect_err("too long");
    assert_eq!(violations[0].keyword, "maxLength");
    assert!(!violations.to_string().contains("Ada"), "{violations}");
}
