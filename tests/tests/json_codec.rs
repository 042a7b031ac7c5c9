//! The derived JSON writer and reader against serde_json, their oracle: every catalog example
//! and generated values of every shape the derive covers (and those it leaves to serde) give
//! the same bytes and the same values; on mutated input the fast reader accepts nothing
//! serde_json refuses, and reads what it accepts as serde_json does.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, TimeZone, Utc};
use event_core::catalog::{example_envelope, EventVisitor, Example};
use event_core::codec::DomainEvents;
use event_core::json::{read_fast, WriteJson};
use event_core::{Envelope, EventSchema, KafkaEvent};
use event_domains::combat::Combat;
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};
use proptest::prelude::*;
use proptest_derive::Arbitrary;
use serde::de::DeserializeOwned;
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

/// Checks the fast reader against serde_json on `bytes`: what it accepts, serde_json accepts
/// with the same value. Returns whether the fast reader accepted.
fn agree<T: event_core::json::ReadJson + DeserializeOwned + PartialEq + std::fmt::Debug>(
    bytes: &[u8],
) -> Result<bool, String> {
    let oracle = serde_json::from_slice::<T>(bytes);
    match (read_fast::<T>(bytes), oracle) {
        (Ok(ours), Ok(oracle)) if ours == oracle => Ok(true),
        (Ok(ours), Ok(oracle)) => Err(format!("read {ours:?}, serde_json read {oracle:?}")),
        (Ok(ours), Err(error)) => Err(format!("read {ours:?}, serde_json refused: {error}")),
        (Err(_), _) => Ok(false),
    }
}

/// [`agree`] for a float, bit for bit (`==` does not tell -0.0 from 0.0).
fn agree_bits<T: event_core::json::ReadJson + DeserializeOwned + Copy + Into<f64>>(
    bytes: &[u8],
) -> Result<bool, String> {
    let oracle = serde_json::from_slice::<T>(bytes).map(|v| v.into().to_bits());
    match (read_fast::<T>(bytes).map(|v| v.into().to_bits()), oracle) {
        (Ok(ours), Ok(oracle)) if ours == oracle => Ok(true),
        (Ok(ours), oracle) => Err(format!("read bits {ours:x}, serde_json: {oracle:?}")),
        (Err(_), _) => Ok(false),
    }
}

/// An example envelope's JSON and the check of its type.
type Sample = (&'static str, Vec<u8>, fn(&[u8]) -> Result<bool, String>);

struct SameAsSerde {
    checked: BTreeSet<&'static str>,
    samples: Vec<Sample>,
}

impl EventVisitor for SameAsSerde {
    fn visit<E: Example>(&mut self) {
        let envelope = example_envelope(E::example());
        let (ours, oracle) = both(&envelope);
        assert_eq!(ours, oracle, "{}", E::EVENT_TYPE);
        assert_eq!(envelope.to_json().expect("valid"), oracle.as_bytes());
        // The fast reader takes the whole envelope on (no bail) and reads what serde reads.
        let fast = read_fast::<Envelope<E>>(oracle.as_bytes());
        assert_eq!(fast.as_ref().ok(), Some(&envelope), "{}", E::EVENT_TYPE);
        let pretty = serde_json::to_vec_pretty(&envelope).expect("serialises");
        assert_eq!(
            read_fast::<Envelope<E>>(&pretty).ok(),
            Some(envelope),
            "{}",
            E::EVENT_TYPE
        );
        self.samples
            .push((E::EVENT_TYPE, oracle.into_bytes(), agree::<Envelope<E>>));
        // The optional envelope fields absent: the members after them keep their commas.
        let bare = Envelope::new(E::example()).with_timestamp(Utc::now());
        let (ours, oracle) = both(&bare);
        assert_eq!(ours, oracle, "{}", E::EVENT_TYPE);
        self.checked.insert(E::EVENT_TYPE);
    }
}

#[test]
fn every_catalog_example_is_written_as_serde_json_writes_it() {
    let visitor = catalog();
    assert_eq!(visitor.checked.len(), 35);
}

/// Every catalog example, checked on the way.
fn catalog() -> SameAsSerde {
    let mut visitor = SameAsSerde {
        checked: BTreeSet::new(),
        samples: Vec::new(),
    };
    CombatEvent::visit_events(&mut visitor);
    EconomyEvent::visit_events(&mut visitor);
    PlayerEvent::visit_events(&mut visitor);
    SocialEvent::visit_events(&mut visitor);
    SystemEvent::visit_events(&mut visitor);
    visitor
}

static SAMPLES: std::sync::LazyLock<Vec<Sample>> = std::sync::LazyLock::new(|| catalog().samples);

/// One edit of a JSON text: bytes that matter to the grammar, and some that do not.
#[derive(Debug, Clone)]
enum Edit {
    Delete(prop::sample::Index),
    Insert(prop::sample::Index, u8),
    Replace(prop::sample::Index, u8),
    /// A copy of a stretch inserted after it (repeated members, doubled items).
    Repeat(prop::sample::Index, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let bytes = prop::sample::select(
        b"{}[]\",:\\ \t\n0123456789-+.eEnultrfasxu\x00\x1f\x7f\xc3\xa9\xff".to_vec(),
    );
    let edit = prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::Delete),
        (any::<prop::sample::Index>(), bytes.clone()).prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<prop::sample::Index>(), bytes).prop_map(|(at, b)| Edit::Replace(at, b)),
        (any::<prop::sample::Index>(), 1usize..40).prop_map(|(at, n)| Edit::Repeat(at, n)),
    ];
    prop::collection::vec(edit, 1..4)
}

fn apply(bytes: &mut Vec<u8>, edits: &[Edit]) {
    for edit in edits {
        if bytes.is_empty() {
            return;
        }
        match edit {
            Edit::Delete(at) => {
                bytes.remove(at.index(bytes.len()));
            }
            Edit::Insert(at, byte) => bytes.insert(at.index(bytes.len() + 1), *byte),
            Edit::Replace(at, byte) => {
                let at = at.index(bytes.len());
                bytes[at] = *byte;
            }
            Edit::Repeat(at, length) => {
                let at = at.index(bytes.len());
                let end = (at + length).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(end..end, copy);
            }
        }
    }
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
    #[serde(rename = "b.r")]
    BattleRoyale,
}

/// Names that need escaping in JSON: written escaped; the fast reader leaves escaped keys and
/// names to serde_json.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub struct Escaped {
    #[serde(rename = "re\\named\"\u{1}")]
    pub renamed: u8,
    pub quoted: Quoted,
}

/// A variant name that needs escaping.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Arbitrary)]
pub enum Quoted {
    #[serde(rename = "b\"r")]
    Quoted,
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
        #[proptest(strategy = "(-1i32 << 20..1i32 << 20).prop_map(|n| n as f32 / 64.0)")]
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
    #[serde(rename = "re-named")]
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
    /// Numbers the fast reader takes on (the `floats_…` test covers every float).
    #[proptest(strategy = "(-1i64 << 40..1i64 << 40).prop_map(|n| n as f64 / 8.0)")]
    pub ratio: f64,
    #[proptest(strategy = "(-1i32 << 20..1i32 << 20).prop_map(|n| n as f32 / 64.0)")]
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
    fn every_shape_is_written_and_read_as_serde_json_does(event in any::<Written>()) {
        let (ours, oracle) = both(&event);
        prop_assert_eq!(&ours, &oracle);
        let envelope = Envelope::new(event).with_source("writer-test");
        let (ours, oracle) = both(&envelope);
        prop_assert_eq!(&ours, &oracle);
        // Read back: the fast reader takes on every value serde_json reads back.
        let read = agree::<Envelope<Written>>(oracle.as_bytes());
        prop_assert!(read.is_ok(), "{:?}", read);
        let serde_reads = serde_json::from_slice::<Envelope<Written>>(oracle.as_bytes()).is_ok();
        prop_assert_eq!(read, Ok(serde_reads));
    }

    #[test]
    fn floats_are_read_as_serde_json_reads_them(
        double in any::<f64>(),
        single in any::<f32>(),
        text in "-?(0|[1-9][0-9]{0,19})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?",
    ) {
        for written in [serde_json::to_string(&double).unwrap(), serde_json::to_string(&single).unwrap(), text] {
            let double = agree_bits::<f64>(written.as_bytes());
            prop_assert!(double.is_ok(), "{}: {:?}", written, double);
            let single = agree_bits::<f32>(written.as_bytes());
            prop_assert!(single.is_ok(), "{}: {:?}", written, single);
        }
    }

    #[test]
    fn mutated_envelopes_are_read_as_serde_json_reads_them(
        sample in any::<prop::sample::Index>(),
        edits in edits(),
    ) {
        let (event_type, bytes, check) = &SAMPLES[sample.index(SAMPLES.len())];
        let mut bytes = bytes.clone();
        apply(&mut bytes, &edits);
        let verdict = check(&bytes);
        prop_assert!(verdict.is_ok(), "{event_type}: {verdict:?} on {}", String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn the_pieces_alone_are_written_as_serde_json_writes_them(
        external in any::<External>(),
        internal in any::<Internal>(),
        points in any::<Points>(),
        text in any::<String>(),
        escaped in any::<Escaped>(),
    ) {
        let (ours, oracle) = both(&escaped);
        prop_assert_eq!(&ours, &oracle);
        prop_assert_eq!(agree::<Escaped>(oracle.as_bytes()), Ok(false));
        let read = agree::<String>(serde_json::to_string(&text).unwrap().as_bytes());
        prop_assert_eq!(read, Ok(true));
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
