//! The catalog: every example is valid against its schema and the bundle and reads back into
//! its Rust type; broken examples are rejected; every event is documented and exported.

use event_tools::export::{export_files, write_files, ExportError, BUNDLE_FILE};
use event_tools::CatalogEvent;
use kafka_events_tests::{draft7_validator, errors_of, is_valid_draft7_schema, violation};
use serde_json::{json, Value};

fn events() -> Vec<CatalogEvent> {
    event_domains::catalog().events().to_vec()
}

fn bundle() -> Value {
    let files = export_files(&event_domains::catalog()).expect("export");
    files
        .into_iter()
        .find(|f| f.path.to_str() == Some(BUNDLE_FILE))
        .expect("bundle")
        .contents
}

#[test]
fn the_catalog_covers_every_domain_with_at_least_thirty_events() {
    let events = events();
    assert!(events.len() >= 30, "{} events", events.len());
    for (domain, minimum) in [("combat", 11), ("economy", 7), ("social", 7), ("system", 4)] {
        let count = events
            .iter()
            .filter(|e| e.descriptor.domain == domain)
            .count();
        assert!(count >= minimum, "{domain}: {count}");
    }
}

#[test]
fn every_example_is_valid_against_its_schema_and_the_bundle_and_reads_back() {
    let bundle = draft7_validator(&bundle());
    for event in events() {
        let schema = (event.descriptor.json_schema)();
        assert!(is_valid_draft7_schema(&schema), "{}", event.event_type());
        let validator = draft7_validator(&schema);
        let example = (event.example_envelope)();
        assert_eq!(
            errors_of(&validator, &example),
            Vec::<String>::new(),
            "{}",
            event.event_type()
        );
        assert_eq!(
            errors_of(&bundle, &example),
            Vec::<String>::new(),
            "{} (bundle)",
            event.event_type()
        );
        let back =
            (event.reserialize)(&example).unwrap_or_else(|e| panic!("{}: {e}", event.event_type()));
        assert_eq!(
            back,
            example,
            "{} reads back as written",
            event.event_type()
        );
    }
}

#[test]
fn a_mutated_example_that_breaks_a_constraint_is_rejected_by_schema_and_bundle() {
    let bundle = draft7_validator(&bundle());
    for event in events() {
        let schema = (event.descriptor.json_schema)();
        let validator = draft7_validator(&schema);
        let example = (event.example_envelope)();
        let data_ref = schema["properties"]["data"]["$ref"]
            .as_str()
            .expect("data is a $ref");
        let definition = data_ref.trim_start_matches("#/definitions/");
        let properties = schema["definitions"][definition]["properties"]
            .as_object()
            .expect("properties");
        let mut broken = 0;
        for (name, property) in properties {
            let Some(bad) = violation(property) else {
                continue;
            };
            let mut mutated = example.clone();
            mutated["data"][name] = bad.clone();
            assert!(
                !validator.is_valid(&mutated),
                "{}: {name} = {bad}",
                event.event_type()
            );
            assert!(
                !bundle.is_valid(&mutated),
                "{} (bundle): {name} = {bad}",
                event.event_type()
            );
            broken += 1;
        }
        assert!(
            broken > 0,
            "{} declares no constraint to break",
            event.event_type()
        );
        let mut wrong_type = example.clone();
        wrong_type["event_type"] = json!("combat.not.this");
        assert!(!validator.is_valid(&wrong_type) && !bundle.is_valid(&wrong_type));
    }
}

#[test]
fn every_type_and_field_is_documented() {
    for event in events() {
        let schema = (event.descriptor.json_schema)();
        let definitions = schema["definitions"].as_object().expect("definitions");
        for (name, definition) in definitions {
            assert!(
                definition["title"].is_string(),
                "{}: type {name} has no doc comment",
                event.event_type()
            );
            for (field, property) in definition["properties"].as_object().into_iter().flatten() {
                assert!(
                    property["description"].is_string() || property.get("const").is_some(),
                    "{}: field {name}.{field} has no doc comment",
                    event.event_type()
                );
            }
        }
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("kafka-events-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_export_writes_every_file_and_a_second_run_changes_nothing() {
    let out = scratch("twice");
    let files = export_files(&event_domains::catalog()).expect("export");
    let first = write_files(&out, &files).expect("write");
    assert_eq!(first.written, files.len());
    let second = write_files(&out, &files).expect("write");
    assert_eq!((second.written, second.unchanged), (0, files.len()));
    for expected in [
        "schemas/combat/combat.session.start.json",
        "examples/economy/economy.trade.executed.json",
        "topics/game.system.events.json",
        BUNDLE_FILE,
    ] {
        let text = std::fs::read_to_string(out.join(expected)).expect(expected);
        let _: Value = serde_json::from_str(&text).expect("valid JSON");
    }
    let topic: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("topics/game.economy.events.json")).expect("topic"),
    )
    .expect("json");
    assert_eq!(topic["partitions"], 12);
    assert_eq!(topic["config"]["retention.ms"], "2592000000");
    assert_eq!(topic["priority"], "normal");
    std::fs::remove_dir_all(out).expect("clean up");
}

#[test]
fn a_missing_output_parent_is_a_clear_error_and_writes_nothing() {
    let base = scratch("missing");
    let out = base.join("no/such/parent/out");
    let error = write_files(
        &out,
        &export_files(&event_domains::catalog()).expect("export"),
    )
    .expect_err("must fail");
    assert!(matches!(error, ExportError::MissingParent { .. }));
    assert!(error.to_string().contains("does not exist"), "{error}");
    assert!(!base.exists());
}

#[test]
fn the_envelope_and_its_metadata_are_closed_models() {
    for event in events() {
        let schema = (event.descriptor.json_schema)();
        let validator = draft7_validator(&schema);
        let example = (event.example_envelope)();
        let mut extra_metadata = example.clone();
        extra_metadata["metadata"]["shard"] = json!(3);
        assert!(
            !validator.is_valid(&extra_metadata),
            "{}: metadata accepts an unknown property",
            event.event_type()
        );
        let mut extra_field = example.clone();
        extra_field["shard"] = json!(3);
        assert!(!validator.is_valid(&extra_field), "{}", event.event_type());
        let mut bad_ttl = example;
        bad_ttl["metadata"]["ttl"] = json!("seven days");
        assert!(!validator.is_valid(&bad_ttl), "{}", event.event_type());
    }
}

/// Serves the export's files to the validator by their `file:///export/...` address.
struct ExportFiles(std::collections::BTreeMap<String, Value>);

impl jsonschema::Retrieve for ExportFiles {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        self.0
            .get(uri.path().as_str())
            .cloned()
            .ok_or_else(|| format!("{uri} is not a file of the export").into())
    }
}

#[test]
fn every_example_is_valid_against_its_modular_schema_resolved_from_the_core_documents() {
    let catalog = event_domains::catalog();
    let files = export_files(&catalog).expect("export");
    let by_path: std::collections::BTreeMap<String, Value> = files
        .iter()
        .map(|f| (format!("/export/{}", f.path.display()), f.contents.clone()))
        .collect();
    let core: Vec<&String> = by_path
        .keys()
        .filter(|p| p.starts_with("/export/schemas/core/"))
        .collect();
    for name in [
        "envelope.json",
        "Metadata.json",
        "Priority.json",
        "Vec3.json",
    ] {
        assert!(
            core.iter().any(|p| p.ends_with(&format!("/{name}"))),
            "{name} missing from {core:?}"
        );
    }
    for event in catalog.events() {
        let path = event_tools::export::schema_path(event);
        let modular = &by_path[&format!("/export/{}", path.display())];
        assert_eq!(modular["allOf"][0]["$ref"], "../core/envelope.json");
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .with_base_uri(format!("file:///export/{}", path.display()))
            .with_retriever(ExportFiles(by_path.clone()))
            .build(modular)
            .unwrap_or_else(|e| panic!("{}: {e}", event.event_type()));
        let example = (event.example_envelope)();
        assert_eq!(
            errors_of(&validator, &example),
            Vec::<String>::new(),
            "{}",
            event.event_type()
        );
        let mut broken = example.clone();
        broken["metadata"]["ttl"] = json!("soon");
        assert!(
            !validator.is_valid(&broken),
            "{}: core Metadata not applied",
            event.event_type()
        );
        let mut other = example;
        other["event_type"] = json!("combat.other.event");
        assert!(!validator.is_valid(&other), "{}", event.event_type());
    }
}

#[test]
fn a_cross_domain_event_is_exported_under_domains_and_dispatched_by_every_domain_acting_on_it() {
    let catalog = event_domains::catalog();
    let banned = catalog
        .events()
        .iter()
        .find(|e| e.event_type() == "player.account.banned")
        .expect("the catalog has a cross-domain event");
    assert!(banned.cross_domain);
    assert_eq!(
        event_tools::export::schema_path(banned),
        std::path::Path::new("schemas/domains/player.account.banned.json")
    );
    use event_core::DomainEvents;
    for topics in [
        event_domains::CombatEvent::topics(),
        event_domains::EconomyEvent::topics(),
        event_domains::SocialEvent::topics(),
    ] {
        assert!(topics.contains(&"game.player.events"), "{topics:?}");
    }
    assert_eq!(event_domains::SystemEvent::topics(), ["game.system.events"]);
}

/// What a producer in another language must write as the record key: the value of the topic
/// file's `key` field as text.
fn key_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[test]
fn every_events_key_field_in_the_topic_files_gives_the_key_rust_writes() {
    let files = export_files(&event_domains::catalog()).expect("export");
    let mut keyed = 0;
    for event in events() {
        let record = (event.example_record)().expect("record");
        let topic_file = files
            .iter()
            .find(|f| f.path.ends_with(format!("{}.json", event.descriptor.topic)))
            .expect("topic file");
        let entry = topic_file.contents["events"]
            .as_array()
            .expect("events")
            .iter()
            .find(|entry| entry["event_type"] == event.descriptor.event_type)
            .expect("entry");
        let envelope: Value = serde_json::from_slice(&record.value).expect("json");
        let from_file = entry.get("key").map(|pointer| {
            envelope
                .pointer(pointer.as_str().expect("pointer"))
                .map(key_text)
        });
        let expected = record.key.map(|key| String::from_utf8(key).expect("utf-8"));
        match from_file {
            Some(found) => {
                keyed += 1;
                assert_eq!(found, expected, "{}", event.descriptor.event_type)
            }
            None => assert_eq!(expected, None, "{}", event.descriptor.event_type),
        }
    }
    // 18 of the game's 35 events have a key field today; the check must not be vacuous.
    assert!(keyed >= 10, "{keyed} keyed events");
}
