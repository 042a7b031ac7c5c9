//! The two traits at the heart of kafka-events: [`EventSchema`] and [`KafkaEvent`].

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::domain::Domain;
use crate::layout::LayoutClass;
use crate::schema::{Schema, SchemaGenerator};

/// A type that can appear inside an event and knows its JSON Schema.
///
/// Derive it with `#[derive(EventSchema)]` for structs and enums; it is implemented for the
/// standard types, [`uuid::Uuid`] and [`chrono`] timestamps.
///
/// ```
/// use event_core::{EventSchema, schema::SchemaGenerator};
/// let mut generator = SchemaGenerator::default();
/// let schema = generator.subschema_for::<u8>();
/// assert_eq!(
///     schema.to_value(),
///     serde_json::json!({"type": "integer", "minimum": 0, "maximum": 255})
/// );
/// ```
pub trait EventSchema {
    /// The size class used to place fields of this type in layout order.
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Fixed;

    /// Whether a missing field of this type deserializes (as `Option` does), so that the field
    /// is not `required`.
    const OPTIONAL: bool = false;

    /// The name of this type under `definitions`, or `None` to write its schema inline at
    /// every use (the default, right for primitives).
    fn schema_name() -> Option<Cow<'static, str>> {
        None
    }

    /// A name that tells two types with the same [`schema_name`](Self::schema_name) apart.
    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed(core::any::type_name::<Self>())
    }

    /// The schema of this type, with nested named types added to `generator`.
    fn schema(generator: &mut SchemaGenerator) -> Schema;

    /// The object schema whose properties `#[serde(flatten)]` merges into the parent.
    fn flatten_schema(generator: &mut SchemaGenerator) -> Schema {
        Self::schema(generator)
    }
}

/// A Kafka event: a struct with a stable `domain.entity.action` name, a semantic version, a
/// topic and a JSON Schema of its envelope.
///
/// Derive it with `#[derive(KafkaEvent)]` and `#[event("domain.entity.action")]`:
///
/// ```
/// # event_core::domain! { pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High, key_fields: [session_id, player_id] } }
/// use event_core::KafkaEvent;
/// use serde::{Deserialize, Serialize};
///
/// /// A player left a combat session.
/// #[derive(KafkaEvent, Serialize, Deserialize)]
/// #[event("combat.session.leave", version = "1.2.0")]
/// pub struct SessionLeave {
///     /// Who left.
///     pub player: uuid::Uuid,
/// }
///
/// assert_eq!(SessionLeave::EVENT_TYPE, "combat.session.leave");
/// assert_eq!(SessionLeave::TOPIC, "game.combat.events");
/// let schema = SessionLeave::json_schema();
/// assert_eq!(schema["properties"]["event_type"]["const"], "combat.session.leave");
/// ```
pub trait KafkaEvent:
    EventSchema
    + crate::validate::Validate
    + crate::json::WriteJson
    + crate::json::ReadJson
    + Serialize
    + DeserializeOwned
{
    /// The domain this event belongs to; it decides the topic.
    type Domain: Domain;
    /// The full name, `domain.entity.action`.
    const EVENT_TYPE: &'static str;
    /// The first segment of the name.
    const DOMAIN: &'static str = <Self::Domain as Domain>::NAME;
    /// The second segment of the name.
    const ENTITY: &'static str;
    /// The third segment of the name.
    const ACTION: &'static str;
    /// The schema version, `MAJOR.MINOR.PATCH` (`version = ".."`, 1.0.0 by default).
    const VERSION: crate::SemVer;
    /// The topic: the domain's topic for major version 1, `{topic}.v{major}` after a breaking
    /// change (see [`crate::domain::versioned_topic`]).
    const TOPIC: &'static str;
    /// How the snapshot gate checks a new schema against the committed history of this major
    /// version (`#[event(.., compat = "..")]`); `BackwardTransitive` by default.
    const COMPAT: crate::compat::CompatMode = crate::compat::CompatMode::BackwardTransitive;
    /// Whose personal data this event carries: the wire name of the field named by
    /// `#[event(data_subject = field)]`, else of its `player_id` field, else `None` (the
    /// envelope's `player_id` is used then). That subject's data key encrypts the event's
    /// [`pii`](crate::personal) fields.
    const DATA_SUBJECT: Option<&'static str> = None;

    /// The wire name of the data field [`partition_key`](Self::partition_key) reads: the field
    /// named by `#[event(key = field)]`, else the first of its domain's
    /// [`KEY_FIELDS`](Domain::KEY_FIELDS) it has, else `None`. The export writes it into the
    /// topic files, so producers in other languages key records as Rust does. (A field whose
    /// type gives no key bytes is named here and gives no key.)
    const KEY_FIELD: Option<&'static str> = crate::__private::key_field::<Self>();

    /// Which fields may hold the domain's default key (set by the derive; not public API).
    #[doc(hidden)]
    const __KEY_CANDIDATES: crate::__private::KeyCandidates = crate::__private::KeyCandidates::None;

    /// The position among [`DECLARED_FIELDS`](Self::DECLARED_FIELDS) of the domain's default
    /// key (read by the derived `partition_key`; not public API).
    #[doc(hidden)]
    const __KEY_INDEX: Option<usize> = crate::__private::key_index::<Self>();

    /// The partition key of this event: the field named by `#[event(key = field)]`, else the
    /// first of its domain's [`KEY_FIELDS`](Domain::KEY_FIELDS) it has, else none (the producer
    /// spreads the records). One session's or player's events then stay ordered in one
    /// partition. See [partition keys](mod@crate::domain#partition-keys).
    fn partition_key(&self) -> Option<Vec<u8>> {
        None
    }

    /// The complete Draft 7 document of the envelope carrying this event, with the event's own
    /// schema under `definitions`.
    fn json_schema() -> serde_json::Value {
        crate::document::event_document::<Self>()
    }

    /// The wire names of the data's fields in declaration order (empty when the data is no
    /// record), for reports that compare declaration order with layout order.
    const DECLARED_FIELDS: &'static [&'static str] = &[];

    /// The envelope's binary record after checking every constraint, or `None` when the type
    /// has no binary form. The derive fills it in for the types marked `#[event(binary)]`
    /// ([`Binary`](crate::binary::Binary)); a producer in
    /// [`WireFormat::Binary`](crate::codec::WireFormat) falls back to JSON on `None`.
    fn binary_value(
        envelope: &crate::Envelope<Self>,
    ) -> Option<Result<Vec<u8>, crate::codec::CodecError>> {
        let _ = envelope;
        None
    }

    /// Decodes and checks a binary record of this event
    /// ([`Envelope::from_binary_with`](crate::Envelope::from_binary_with)), or `None` when the
    /// type has no binary form.
    fn from_binary_value(
        bytes: &[u8],
        options: &crate::codec::DecodeOptions,
    ) -> Option<Result<crate::Envelope<Self>, crate::codec::CodecError>> {
        let _ = (bytes, options);
        None
    }

    /// The fields, layout order and fixed size of this event's binary record, or `None` when
    /// the type has no binary form (see [`Binary`](crate::binary::Binary)).
    fn binary_layout() -> Option<crate::binary::BinaryLayout> {
        None
    }
}
