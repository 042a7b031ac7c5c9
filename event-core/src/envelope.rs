//! The envelope every event travels in, and its schema.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{Domain, Priority};
use crate::schema::{uuid_schema, InstanceType, Schema, SchemaObject};
use crate::validate::{check_min_length, Location, Violation};
use crate::version::is_version_number;
use crate::KafkaEvent;

/// Delivery metadata of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Delivery priority; the domain's priority by default.
    pub priority: Priority,
    /// How long the event stays relevant, e.g. `"7d"`: digits then `ms`, `s`, `m`, `h` or `d`.
    pub ttl: String,
    /// How often delivery was retried.
    pub retry_count: u32,
}

/// The typed envelope of an event `T`, as it is written to Kafka.
///
/// ```
/// # event_core::domain! { pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High, key_fields: [session_id, player_id] } }
/// use event_core::{Envelope, KafkaEvent};
/// # #[derive(event_core::KafkaEvent, serde::Serialize, serde::Deserialize)]
/// # #[event("combat.player.attack")]
/// # pub struct Attack { pub damage: u32 }
/// let envelope = Envelope::new(Attack { damage: 12 }).with_source("combat-service");
/// assert_eq!(envelope.event_type(), "combat.player.attack");
/// let json = serde_json::to_value(&envelope).unwrap();
/// assert_eq!(json["data"]["damage"], 12);
/// assert_eq!(json["metadata"]["priority"], "high");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub(crate) event_id: Uuid,
    pub(crate) event_type: Cow<'static, str>,
    pub(crate) timestamp: DateTime<Utc>,
    pub(crate) version: Cow<'static, str>,
    pub(crate) source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) correlation_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) session_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) player_id: Option<Uuid>,
    pub(crate) data: T,
    pub(crate) metadata: Metadata,
}

/// The `source` of an envelope built without [`Envelope::with_source`].
pub const UNKNOWN_SOURCE: &str = "unknown";

impl<T: KafkaEvent> Envelope<T> {
    /// Wraps `data` with a fresh random `event_id`, the current UTC time, the event's name
    /// and version, and the domain's priority and retention as metadata.
    pub fn new(data: T) -> Self {
        Envelope {
            event_id: Uuid::new_v4(),
            event_type: Cow::Borrowed(T::EVENT_TYPE),
            timestamp: Utc::now(),
            version: Cow::Borrowed(T::VERSION.as_str()),
            source: UNKNOWN_SOURCE.to_owned(),
            correlation_id: None,
            session_id: None,
            player_id: None,
            data,
            metadata: Metadata {
                priority: <T::Domain as Domain>::PRIORITY,
                ttl: format!("{}d", <T::Domain as Domain>::RETENTION_DAYS),
                retry_count: 0,
            },
        }
    }
}

impl<T> Envelope<T> {
    /// Sets the event id (for a replay that must keep the original id, or a fixed example).
    pub fn with_event_id(mut self, id: Uuid) -> Self {
        self.event_id = id;
        self
    }

    /// Sets when the event happened.
    pub fn with_timestamp(mut self, timestamp: DateTime<Utc>) -> Self {
        self.timestamp = timestamp;
        self
    }

    /// Sets the producing service, e.g. `"combat-service"`.
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    /// Sets the id that ties this event to the request or flow that caused it.
    pub fn with_correlation_id(mut self, id: Uuid) -> Self {
        self.correlation_id = Some(id);
        self
    }

    /// Sets the game session the event belongs to.
    pub fn with_session_id(mut self, id: Uuid) -> Self {
        self.session_id = Some(id);
        self
    }

    /// Sets the player the event is about.
    pub fn with_player_id(mut self, id: Uuid) -> Self {
        self.player_id = Some(id);
        self
    }

    /// Sets the delivery priority.
    pub fn with_priority(mut self, priority: Priority) -> Self {
        self.metadata.priority = priority;
        self
    }

    /// Sets the event's time to live, e.g. `"7d"` or `"30m"`.
    pub fn with_ttl(mut self, ttl: impl Into<String>) -> Self {
        self.metadata.ttl = ttl.into();
        self
    }

    /// Sets how often delivery was retried.
    pub fn with_retry_count(mut self, retry_count: u32) -> Self {
        self.metadata.retry_count = retry_count;
        self
    }

    /// The unique id of this event.
    pub fn event_id(&self) -> Uuid {
        self.event_id
    }
    /// The event's name, `domain.entity.action`.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }
    /// When the event happened (UTC).
    pub fn timestamp(&self) -> DateTime<Utc> {
        self.timestamp
    }
    /// The schema version the event was written with.
    pub fn version(&self) -> &str {
        &self.version
    }
    /// The producing service.
    pub fn source(&self) -> &str {
        &self.source
    }
    /// The correlation id, if any.
    pub fn correlation_id(&self) -> Option<Uuid> {
        self.correlation_id
    }
    /// The game session, if any.
    pub fn session_id(&self) -> Option<Uuid> {
        self.session_id
    }
    /// The player, if any.
    pub fn player_id(&self) -> Option<Uuid> {
        self.player_id
    }
    /// The event itself.
    pub fn data(&self) -> &T {
        &self.data
    }
    /// The event itself, by value.
    pub fn into_data(self) -> T {
        self.data
    }
    /// Delivery metadata.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }
}

impl<T: KafkaEvent> crate::validate::Validate for Envelope<T> {
    /// The envelope's own constraints (as its schema states them), then the data's.
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        if self.event_type != T::EVENT_TYPE {
            errors.push(Violation {
                pointer: at.key("event_type").pointer(),
                keyword: "const",
                message: format!("expected `{}`, found `{}`", T::EVENT_TYPE, self.event_type),
            });
        }
        if !is_version_of_major(&self.version, T::VERSION.major()) {
            errors.push(Violation {
                pointer: at.key("version").pointer(),
                keyword: "pattern",
                message: format!(
                    "`{}` is not a version {}.MINOR.PATCH",
                    self.version,
                    T::VERSION.major()
                ),
            });
        }
        check_min_length(Some(&self.source), 1, &at.key("source"), errors);
        if !is_ttl(&self.metadata.ttl) {
            errors.push(Violation {
                pointer: at.key("metadata").key("ttl").pointer(),
                keyword: "pattern",
                message: format!(
                    "`{}` is not a duration like 7d, 30m or 500ms",
                    self.metadata.ttl
                ),
            });
        }
        self.data.validate_at(&at.key("data"), errors);
    }
}

/// Whether `version` matches `^{major}\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`.
fn is_version_of_major(version: &str, major: u64) -> bool {
    let mut parts = version.split('.');
    fn number(part: Option<&str>) -> Option<&str> {
        part.filter(|p| is_version_number(p))
    }
    let first = number(parts.next()).and_then(|p| p.parse::<u64>().ok());
    first == Some(major)
        && number(parts.next()).is_some()
        && number(parts.next()).is_some()
        && parts.next().is_none()
}

/// Whether `ttl` matches `^[0-9]+(ms|s|m|h|d)$`.
fn is_ttl(ttl: &str) -> bool {
    let digits = ttl.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&ttl[digits..], "ms" | "s" | "m" | "h" | "d")
}

fn string(format: Option<&str>) -> SchemaObject {
    SchemaObject {
        types: vec![InstanceType::String],
        format: format.map(str::to_owned),
        ..SchemaObject::default()
    }
}

fn described(mut object: SchemaObject, description: &str) -> Schema {
    object.description = Some(description.to_owned());
    object.into()
}

/// The schema of the envelope of one event: `data` is `data_schema`, `event_type` is fixed,
/// and `version` must keep the major version `major`.
pub fn envelope_schema(event_type: &str, major: u64, data_schema: Schema) -> SchemaObject {
    let uuid = uuid_schema;
    let optional_uuid = |description: &str| described(uuid(), description).nullable();
    let properties =
        vec![
        ("event_id".to_owned(), described(uuid(), "Unique id of this event.")),
        (
            "event_type".to_owned(),
            described(
                SchemaObject {
                    constant: Some(event_type.into()),
                    ..string(None)
                },
                "The event's name, domain.entity.action.",
            ),
        ),
        (
            "timestamp".to_owned(),
            described(string(Some("date-time")), "When the event happened, RFC 3339."),
        ),
        (
            "version".to_owned(),
            described(
                SchemaObject {
                    pattern: Some(format!(r"^{major}\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")),
                    ..string(None)
                },
                "Schema version the event was written with; the major version is fixed per topic.",
            ),
        ),
        (
            "source".to_owned(),
            described(
                SchemaObject {
                    min_length: Some(1),
                    ..string(None)
                },
                "The producing service.",
            ),
        ),
        ("correlation_id".to_owned(), optional_uuid("Id of the flow that caused this event.")),
        ("session_id".to_owned(), optional_uuid("The game session, if any.")),
        ("player_id".to_owned(), optional_uuid("The player, if any.")),
        ("data".to_owned(), data_schema),
        ("metadata".to_owned(), metadata_schema()),
    ];
    SchemaObject {
        types: vec![InstanceType::Object],
        required: [
            "event_id",
            "event_type",
            "timestamp",
            "version",
            "source",
            "data",
            "metadata",
        ]
        .map(str::to_owned)
        .to_vec(),
        properties,
        additional_properties: Some(Schema::Bool(false)),
        ..SchemaObject::default()
    }
}

fn metadata_schema() -> Schema {
    let priority = SchemaObject {
        enum_values: Some(Priority::ALL.iter().map(|p| p.as_str().into()).collect()),
        ..string(None)
    };
    let ttl = SchemaObject {
        pattern: Some("^[0-9]+(ms|s|m|h|d)$".to_owned()),
        ..string(None)
    };
    let retry_count = SchemaObject {
        types: vec![InstanceType::Integer],
        minimum: Some(0.into()),
        maximum: Some(u32::MAX.into()),
        additional_properties: Some(Schema::Bool(false)),
        ..SchemaObject::default()
    };
    SchemaObject {
        description: Some("Delivery metadata.".to_owned()),
        types: vec![InstanceType::Object],
        properties: vec![
            (
                "priority".to_owned(),
                described(priority, "Delivery priority."),
            ),
            ("ttl".to_owned(), described(ttl, "Time to live, e.g. 7d.")),
            (
                "retry_count".to_owned(),
                described(retry_count, "Delivery retries so far."),
            ),
        ],
        required: vec![
            "priority".to_owned(),
            "ttl".to_owned(),
            "retry_count".to_owned(),
        ],
        ..SchemaObject::default()
    }
    .into()
}
