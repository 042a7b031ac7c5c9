//! Truth test: values serialised by serde validate against the generated schema (checked by
//! the independent `jsonschema` crate), and values that break a declared constraint do not.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, TimeZone, Utc};
use event_core::validate::Validate;
use event_core::{EventSchema, KafkaEvent};
use event_domains::combat::Combat;
use event_domains::system::System;
use kafka_events_tests::{draft7_validator, errors_of, is_valid_draft7_schema};
use proptest::prelude::*;
use proptest_derive::Arbitrary;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

fn uuids() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

fn timestamps() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..253_402_300_799, 0u32..1_000_000_000)
        .prop_map(|(secs, nanos)| Utc.timestamp_opt(secs, nanos).single().unwrap_or_default())
}

fn finite() -> impl Strategy<Value = f64> {
    -1.0e12f64..1.0e12
}

/// A nested record, written in camelCase, closed to unknown fields.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Nested {
    /// Display name.
    #[event(max_length = 8)]
    #[proptest(regex = "[a-z]{0,8}")]
    pub display_name: String,
    pub hit_points: i32,
}

/// Fields merged into the parent by `#[serde(flatten)]`.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct Flattened {
    pub region: u8,
    pub shard: Option<u16>,
}

/// A unit enum.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mode {
    TeamDeathmatch,
    CaptureTheFlag,
    #[serde(rename = "br")]
    BattleRoyale,
}

/// Externally tagged, every variant shape.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub enum External {
    Unit,
    Newtype(u8),
    Tuple(bool, #[proptest(regex = "[a-z]{0,4}")] String),
    Record { x: i16, y: i16 },
}

/// Internally tagged.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Internal {
    Idle,
    Moving { speed: u16 },
    Holding(Nested),
}

/// Adjacently tagged.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(tag = "t", content = "c")]
pub enum Adjacent {
    Nothing,
    Count(u32),
    Pair(u8, u8),
    Named { label: bool },
}

/// Untagged.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(untagged)]
pub enum Untagged {
    Number(u64),
    Text(#[proptest(regex = "[a-z]{1,4}")] String),
}

/// A transparent newtype: written as its inner value.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(transparent)]
pub struct Meters(pub u32);

/// A plain newtype.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct Points(pub i64);

/// A tuple struct.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct Pair(pub u8, pub bool);

/// A generic record.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct Labelled<T> {
    pub label: u8,
    pub value: T,
}

/// Every feature of the derive in one event.
///
/// Second paragraph of the description.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[event("combat.truth.everything", version = "1.2.3", binary = false)]
pub struct Everything {
    #[proptest(strategy = "uuids()")]
    pub id: Uuid,
    #[proptest(strategy = "timestamps()")]
    pub at: DateTime<Utc>,
    /// A bounded name.
    #[event(min_length = 1, max_length = 16)]
    #[proptest(regex = "[a-zé]{1,16}")]
    pub name: String,
    pub small: u8,
    pub signed: i64,
    pub big: u64,
    #[proptest(strategy = "finite()")]
    pub ratio: f64,
    #[proptest(strategy = "-1.0e6f32..1.0e6")]
    pub single: f32,
    pub letter: char,
    pub flag: bool,
    pub maybe: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maybe_skipped: Option<u32>,
    #[serde(rename = "renamed")]
    pub original: u16,
    #[serde(skip)]
    pub skipped: u8,
    #[serde(default)]
    pub defaulted: Vec<u8>,
    pub list: Vec<Nested>,
    pub fixed: [u8; 3],
    pub map: HashMap<String, i32>,
    pub btree: BTreeMap<u32, bool>,
    pub set: BTreeSet<String>,
    pub boxed: Box<Nested>,
    #[serde(flatten)]
    pub flat: Flattened,
    pub mode: Mode,
    pub external: External,
    pub internal: Internal,
    pub adjacent: Adjacent,
    pub untagged: Untagged,
    pub transparent: Meters,
    pub newtype: Points,
    pub pair: Pair,
    #[proptest(regex = "[a-z]{0,3}")]
    pub label_string: String,
    pub tuple: (u8, bool),
    pub generic: Labelled<Mode>,
    #[event(minimum = 10, maximum = 20)]
    #[proptest(strategy = "10u32..=20")]
    pub bounded: u32,
    #[event(min_items = 1, max_items = 4, unique_items)]
    #[proptest(
        strategy = "proptest::collection::btree_set(any::<u8>(), 1..=4).prop_map(|s| s.into_iter().collect())"
    )]
    pub tags: Vec<u8>,
    #[event(pattern = "^[A-Z]{3}$", example = "EUW")]
    #[proptest(regex = "[A-Z]{3}")]
    pub code: String,
    #[event(exclusive_minimum = 0, exclusive_maximum = 100)]
    #[proptest(strategy = "0.5f64..99.5")]
    pub percent: f64,
    #[event(multiple_of = 5, deprecated)]
    #[proptest(strategy = "(0u32..1000).prop_map(|n| n * 5)")]
    pub step: u32,
    #[event(minimum = -5, default = 0)]
    #[proptest(strategy = "-5i32..1000")]
    pub offset: i32,
    #[event(max_length = 4, format = "hostname")]
    pub host: Option<HostName>,
}

/// A host name, kept short so the strategy stays inside `max_length`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Arbitrary)]
#[serde(transparent)]
pub struct HostName(#[proptest(regex = "[a-z]{1,4}")] pub String);

impl EventSchema for HostName {
    const LAYOUT_CLASS: event_core::layout::LayoutClass = event_core::layout::LayoutClass::Variable;
    fn schema(generator: &mut event_core::schema::SchemaGenerator) -> event_core::schema::Schema {
        generator.subschema_for::<String>()
    }
}
impl event_core::schema::StringKeywords for HostName {
    fn string_value(&self) -> Option<&str> {
        Some(&self.0)
    }
}
impl event_core::validate::Validate for HostName {}

fn data_schema_document() -> Value {
    Everything::json_schema()
}

/// Compiled once: compiling a schema costs far more than validating an instance.
static VALIDATOR: std::sync::LazyLock<jsonschema::Validator> =
    std::sync::LazyLock::new(|| draft7_validator(&data_schema_document()));

fn validator() -> &'static jsonschema::Validator {
    &VALIDATOR
}

fn envelope_of(event: &Everything) -> Value {
    serde_json::to_value(event_core::Envelope::new(event.clone()).with_source("truth-test"))
        .expect("serialises")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_serialised_value_is_valid(event in any::<Everything>()) {
        let validator = validator();
        let instance = envelope_of(&event);
        let errors = errors_of(validator, &instance);
        prop_assert!(errors.is_empty(), "{errors:#?}\n{instance:#}");
        // and serde reads it back as it was written
        let back: event_core::Envelope<Everything> = serde_json::from_value(instance).expect("deserialises");
        prop_assert_eq!(back.data(), &Everything { skipped: 0, ..event });
    }
}

fn valid_instance() -> Value {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let event = proptest::strategy::ValueTree::current(
        &any::<Everything>().new_tree(&mut runner).expect("a value"),
    );
    envelope_of(&event)
}

#[test]
fn values_breaking_a_constraint_are_rejected() {
    let validator = validator();
    let base = valid_instance();
    assert!(
        validator.is_valid(&base),
        "{:#?}",
        errors_of(validator, &base)
    );
    let cases: Vec<(&str, Value)> = vec![
        ("/data/name", json!("")),
        ("/data/name", json!("x".repeat(17))),
        ("/data/small", json!(256)),
        ("/data/small", json!(-1)),
        ("/data/flag", json!("true")),
        ("/data/letter", json!("ab")),
        ("/data/id", json!("not-a-uuid")),
        ("/data/at", json!("yesterday")),
        ("/data/bounded", json!(9)),
        ("/data/bounded", json!(21)),
        ("/data/tags", json!([])),
        ("/data/tags", json!([1, 1])),
        ("/data/tags", json!([1, 2, 3, 4, 5])),
        ("/data/code", json!("abc")),
        ("/data/percent", json!(0)),
        ("/data/percent", json!(100)),
        ("/data/step", json!(7)),
        ("/data/offset", json!(-6)),
        ("/data/host", json!("toolong")),
        ("/data/fixed", json!([1, 2])),
        ("/data/mode", json!("TeamDeathmatch")),
        ("/data/external", json!({"Unknown": 1})),
        ("/data/internal", json!({"kind": "flying"})),
        ("/data/adjacent", json!({"t": "Count", "c": "x"})),
        ("/data/untagged", json!(true)),
        (
            "/data/boxed",
            json!({"displayName": "a", "hitPoints": 1, "extra": 1}),
        ),
        ("/data/boxed/displayName", json!("nine-char")),
        ("/data/btree", json!({"x": true})),
        ("/data/region", json!(300)),
        ("/data/tuple", json!([1, true, 3])),
        ("/event_type", json!("combat.truth.other")),
        ("/version", json!("2.0.0")),
        ("/metadata/priority", json!("urgent")),
    ];
    for (pointer, value) in cases {
        let mut mutated = base.clone();
        *mutated
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer} exists")) = value.clone();
        assert!(
            !validator.is_valid(&mutated),
            "{pointer} = {value} should be rejected"
        );
    }
    for required in ["/data/name", "/data/renamed", "/data/region", "/event_id"] {
        let mut mutated = base.clone();
        let (parent, key) = required.rsplit_once('/').expect("a pointer");
        let parent = if parent.is_empty() {
            &mut mutated
        } else {
            mutated.pointer_mut(parent).expect("parent")
        };
        parent.as_object_mut().expect("object").remove(key);
        assert!(
            !validator.is_valid(&mutated),
            "missing {required} should be rejected"
        );
    }
}

#[test]
fn the_document_is_draft7_and_describes_serde_attributes() {
    let document = data_schema_document();
    assert!(is_valid_draft7_schema(&document));
    assert_eq!(
        document["$schema"],
        "http://json-schema.org/draft-07/schema#"
    );
    let data = &document["definitions"]["Everything"];
    assert_eq!(data["title"], "Every feature of the derive in one event.");
    assert!(data["description"]
        .as_str()
        .unwrap_or_default()
        .contains("Second paragraph"));
    assert_eq!(data["properties"]["name"]["description"], "A bounded name.");
    let properties = data["properties"].as_object().expect("properties");
    assert!(properties.contains_key("renamed") && !properties.contains_key("original"));
    assert!(!properties.contains_key("skipped"));
    assert!(
        properties.contains_key("region") && properties.contains_key("shard"),
        "flattened"
    );
    let required: Vec<&str> = data["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for optional in ["maybe", "maybe_skipped", "defaulted", "shard", "host"] {
        assert!(!required.contains(&optional), "{optional} is not required");
    }
    for needed in ["id", "name", "region", "renamed", "list"] {
        assert!(required.contains(&needed), "{needed} is required");
    }
    assert_eq!(
        data["properties"]["maybe"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(data["properties"]["step"]["deprecated"], true);
    assert_eq!(data["properties"]["code"]["examples"], json!(["EUW"]));
    assert_eq!(data["properties"]["offset"]["default"], 0);
    assert_eq!(
        data["properties"]["transparent"],
        json!({"type": "integer", "minimum": 0, "maximum": u32::MAX})
    );
    assert_eq!(
        document["definitions"]["Mode"]["enum"],
        json!(["TEAM_DEATHMATCH", "CAPTURE_THE_FLAG", "br"])
    );
    assert!(document["definitions"].get("Labelled_Mode").is_some());
    assert_eq!(
        document["definitions"]["Nested"]["additionalProperties"],
        false
    );
    assert_eq!(
        document["properties"]["event_type"]["const"],
        "combat.truth.everything"
    );
    assert_eq!(document["x-kafka-event"]["version"], "1.2.3");
}

#[test]
fn properties_are_in_layout_order_and_recorded() {
    let document = data_schema_document();
    let data = &document["definitions"]["Everything"];
    let keys: Vec<&String> = data["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .collect();
    let recorded: Vec<&str> = data["x-layout-order"]
        .as_array()
        .expect("order")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(keys, recorded);
    let position = |name: &str| {
        recorded
            .iter()
            .position(|k| *k == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    // variable-length first, fixed by alignment next, booleans last
    assert!(position("name") < position("big"));
    assert!(position("big") < position("bounded"));
    assert!(position("bounded") < position("renamed"));
    assert!(position("renamed") < position("small"));
    assert_eq!(recorded.last(), Some(&"flag"));
}

#[test]
fn output_is_deterministic() {
    let first = serde_json::to_string(&data_schema_document()).expect("json");
    for _ in 0..3 {
        assert_eq!(
            first,
            serde_json::to_string(&data_schema_document()).expect("json")
        );
    }
}

/// A recursive type: `$ref` to itself terminates.
#[derive(EventSchema, Serialize, Deserialize)]
#[event(binary = false)]
pub struct Tree {
    pub value: u8,
    pub children: Vec<Tree>,
    pub parent: Option<Box<Tree>>,
}

#[test]
fn recursive_types_terminate_and_validate() {
    let mut generator = event_core::schema::SchemaGenerator::default();
    let root = generator.subschema_for::<Tree>();
    let mut document = root.to_value();
    document["definitions"] = generator
        .definitions()
        .iter()
        .map(|(name, schema)| (name.clone(), schema.to_value()))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let validator = draft7_validator(&document);
    let tree = Tree {
        value: 1,
        children: vec![Tree {
            value: 2,
            children: vec![],
            parent: None,
        }],
        parent: None,
    };
    assert!(validator.is_valid(&serde_json::to_value(&tree).expect("json")));
    assert!(!validator.is_valid(&json!({"value": 1, "children": [{"value": 300, "children": []}]})));
}

/// A generic event: the derive adds the bounds its parameters need.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, PartialEq)]
#[event("system.probe.reported", version = "1.4.0")]
pub struct Probe<T> {
    /// The probed value.
    pub value: T,
    /// Where it was probed.
    #[event(max_length = 16)]
    pub host: String,
}

#[test]
fn generic_events_get_bounds_and_a_schema_per_instance() {
    let document = Probe::<u8>::json_schema();
    assert_eq!(
        document["properties"]["event_type"]["const"],
        "system.probe.reported"
    );
    assert_eq!(
        document["definitions"]["Probe_u8"]["properties"]["value"]["maximum"],
        255
    );
    assert_eq!(<Probe<String> as KafkaEvent>::TOPIC, "game.system.events");
    let envelope = event_core::Envelope::new(Probe {
        value: 7u8,
        host: "edge-1".to_owned(),
    });
    let bytes = envelope.to_json().expect("valid");
    assert_eq!(
        event_core::Envelope::<Probe<u8>>::from_json(&bytes).expect("decodes"),
        envelope
    );
    assert!(event_core::Envelope::new(Probe {
        value: 1u8,
        host: "x".repeat(17)
    })
    .validate()
    .is_err());
}
