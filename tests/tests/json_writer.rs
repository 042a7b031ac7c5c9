//! The derived JSON writer against serde_json, its oracle: every catalog example and generated
//! values of every shape the derive covers (and those it leaves to serde) give the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, TimeZone, Utc};
use event_core::catalog::{example_envelope, EventVisitor, Example};
use event_core::codec::DomainEvents;
use event_core::json::WriteJson;
use event_core::{Envelope, EventSchema, KafkaEvent};
use event_domains::combat::Combat;
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};
use proptest::prelude::*;
use proptest_derive::Arbitrary;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Our bytes and serde_json's for `value`, as text for readable failures.
fn both<T: WriteJson + Serialize>(value: &T) -> (String, String) {
    let ours = event_core::json::to_vec(value).expect("writes");
    let oracle = serde_json::to_vec(value).expect("serialises");
    (
        String::from_utf8(ours).expect("UTF-8"),
        String::from_utf8(oracle).expect("UTF-8"),
    )
}

struct SameAsSerde {
    checked: BTreeSet<&'static str>,
}

impl EventVisitor for SameAsSerde {
    fn visit<E: Example>(&mut self) {
        let envelope = example_envelope(E::example());
        let (ours, oracle) = both(&envelope);
        assert_eq!(ours, oracle, "{}", E::EVENT_TYPE);
        assert_eq!(envelope.to_json().expect("valid"), oracle.as_bytes());
        // The optional envelope fields absent: the members after them keep their commas.
        let bare = Envelope::new(E::example()).with_timestamp(Utc::now());
        let (ours, oracle) = both(&bare);
        assert_eq!(ours, oracle, "{}", E::EVENT_TYPE);
        self.checked.insert(E::EVENT_TYPE);
    }
}

#[test]
fn every_catalog_example_is_written_as_serde_json_writes_it() {
    let mut visitor = SameAsSerde {
        checked: BTreeSet::new(),
    };
    CombatEvent::visit_events(&mut visitor);
    EconomyEvent::visit_events(&mut visitor);
    PlayerEvent::visit_events(&mut visitor);
    SocialEvent::visit_events(&mut visitor);
    SystemEvent::visit_events(&mut visitor);
    assert_eq!(visitor.checked.len(), 35);
}

fn uuids() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

fn timestamps() -> impl Strategy<Value = DateTime<Utc>> {
    // Years 1–9999 and leap seconds (nanoseconds ≥ 10⁹ on a minute's last second).
    (-62_135_596_800i64..253_402_300_799, 0u32..2_000_000_000).prop_map(|(secs, nanos)| {
        Utc.timestamp_opt(secs, nanos)
            .single()
            .or_else(|| Utc.timestamp_opt(secs, nanos % 1_000_000_000).single())
            .unwrap_or_default()
    })
}

/// A nested record in camelCase.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(rename_all = "camelCase")]
pub struct Nested {
    pub display_name: String,
    pub hit_points: i32,
}

/// A unit enum with renames.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mode {
    TeamDeathmatch,
    #[serde(rename = "b\"r")]
    BattleRoyale,
}

/// Externally tagged, every variant shape.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub enum External {
    Unit,
    Newtype(u8),
    Tuple(bool, String),
    Record {
        x: i16,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        y: Option<i16>,
    },
}

/// Internally tagged: unit and struct variants are written by the derive, a newtype variant
/// makes serde write the whole enum.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Internal {
    Idle,
    Moving {
        #[serde(skip_serializing_if = "Option::is_none", default)]
        speed: Option<u16>,
        heading: f32,
    },
}

/// Internally tagged with a newtype variant: left to serde.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(tag = "kind")]
pub enum InternalNewtype {
    Holding(Nested),
    Empty,
}

/// Adjacently tagged: left to serde.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(tag = "t", content = "c")]
pub enum Adjacent {
    Nothing,
    Count(u32),
}

/// Untagged: left to serde.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(untagged)]
pub enum Untagged {
    Number(u64),
    Text(String),
}

/// Transparent, newtype, tuple and unit structs.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[serde(transparent)]
pub struct Meters {
    pub value: u32,
}
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct Points(pub i64);
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct Pair(pub u8, #[serde(skip)] pub u8, pub bool);
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct Nothing;

/// A generic record.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct Labelled<T> {
    pub label: u8,
    pub value: T,
}

/// Fields merged by `#[serde(flatten)]`: the container is left to serde.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct WithFlatten {
    pub before: u8,
    #[serde(flatten)]
    pub flat: Nested,
}

/// A type with a hand-written `Serialize` and schema, and no `WriteJson`: its fields are
/// written by serde.
#[derive(Debug, Clone, PartialEq, Deserialize, Arbitrary)]
pub struct Shouting(pub String);

impl Serialize for Shouting {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_uppercase())
    }
}

impl EventSchema for Shouting {
    fn schema(generator: &mut event_core::schema::SchemaGenerator) -> event_core::schema::Schema {
        generator.subschema_for::<String>()
    }
}
impl event_core::validate::Validate for Shouting {}

/// Every shape, led by skippable members so that commas are decided while writing.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
#[event("combat.truth.written", binary = false)]
pub struct Written {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub second: Vec<String>,
    pub text: String,
    #[serde(skip)]
    pub skipped: u8,
    #[serde(skip_serializing, default)]
    pub not_written: u8,
    #[serde(rename = "re\\named")]
    pub renamed: char,
    #[proptest(strategy = "uuids()")]
    pub id: Uuid,
    #[proptest(strategy = "timestamps()")]
    pub at: DateTime<Utc>,
    #[proptest(strategy = "proptest::option::of(timestamps())")]
    pub maybe_at: Option<DateTime<Utc>>,
    pub small: u8,
    pub signed: i64,
    pub big: u64,
    pub wide: u128,
    pub ratio: f64,
    pub single: f32,
    pub flag: bool,
    pub list: Vec<Nested>,
    pub fixed: [u16; 3],
    pub map: HashMap<String, i32>,
    pub btree: BTreeMap<u32, bool>,
    #[proptest(
        strategy = "proptest::collection::btree_map(uuids(), any::<Option<String>>(), 0..3)"
    )]
    pub by_id: BTreeMap<Uuid, Option<String>>,
    pub set: BTreeSet<String>,
    pub boxed: Box<Nested>,
    pub mode: Mode,
    pub external: External,
    pub internal: Internal,
    pub internal_newtype: InternalNewtype,
    pub adjacent: Adjacent,
    pub untagged: Untagged,
    pub transparent: Meters,
    pub newtype: Points,
    pub pair: Pair,
    pub nothing: Nothing,
    pub tuple: (u8, bool),
    pub generic: Labelled<Mode>,
    pub flattened: WithFlatten,
    pub shouting: Shouting,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<i8>,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_shape_is_written_as_serde_json_writes_it(event in any::<Written>()) {
        let (ours, oracle) = both(&event);
        prop_assert_eq!(ours, oracle);
        let envelope = Envelope::new(event).with_source("writer-test");
        let (ours, oracle) = both(&envelope);
        prop_assert_eq!(ours, oracle);
    }

    #[test]
    fn the_pieces_alone_are_written_as_serde_json_writes_them(
        external in any::<External>(),
        internal in any::<Internal>(),
        points in any::<Points>(),
        text in any::<String>(),
    ) {
        let (ours, oracle) = both(&external);
        prop_assert_eq!(ours, oracle);
        let (ours, oracle) = both(&internal);
        prop_assert_eq!(ours, oracle);
        let (ours, oracle) = both(&points);
        prop_assert_eq!(ours, oracle);
        let (ours, oracle) = both(&text);
        prop_assert_eq!(ours, oracle);
    }
}

#[test]
fn serde_errors_come_through() {
    // A field whose `Serialize` impl fails fails the writer with serde_json's error.
    struct Refusing;
    impl Serialize for Refusing {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("refused"))
        }
    }
    impl EventSchema for Refusing {
        fn schema(
            generator: &mut event_core::schema::SchemaGenerator,
        ) -> event_core::schema::Schema {
            generator.subschema_for::<String>()
        }
    }
    impl event_core::validate::Validate for Refusing {}
    #[derive(Serialize, EventSchema)]
    #[event(binary = false)]
    struct Holder {
        before: u8,
        refusing: Refusing,
    }
    let value = Holder {
        before: 1,
        refusing: Refusing,
    };
    let ours = event_core::json::to_vec(&value).expect_err("refused");
    let oracle = serde_json::to_vec(&value).expect_err("refused");
    assert_eq!(ours.to_string(), oracle.to_string());
}

#[test]
fn the_writer_is_not_the_serde_fallback() {
    // A derived record's bytes do not go through its `Serialize` impl: a struct whose
    // `Serialize` impl differs from its declaration shows the difference (which is why a type
    // with a hand-written `Serialize` must implement `EventSchema` by hand too).
    #[derive(EventSchema)]
    #[event(binary = false)]
    struct Declared {
        a: u8,
    }
    impl Serialize for Declared {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_u8(self.a)
        }
    }
    let value = Declared { a: 7 };
    assert_eq!(event_core::json::to_vec(&value).unwrap(), br#"{"a":7}"#);
    assert_eq!(serde_json::to_vec(&value).unwrap(), b"7");
}
