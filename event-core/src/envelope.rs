//! The envelope every event travels in. Its schema comes from `#[derive(EventSchema)]`, like
//! every user type's: the document of an event fixes only what depends on the event (see
//! [`envelope_schema`]).

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{Domain, Priority};
use crate::schema::{Schema, SchemaGenerator, SchemaObject};
use crate::validate::{Location, Violation};
use crate::version::is_version_number;
use crate::KafkaEvent;

/// Delivery metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, crate::EventSchema)]
// `read_json = false`: its reader borrows the domain's usual time to live (`json::envelope`).
#[event(binary = false, read_json = false)]
pub struct Metadata {
    /// Delivery priority; the domain's priority by default.
    pub priority: Priority,
    /// Time to live, e.g. 7d: digits, then ms, s, m, h or d.
    #[event(pattern = "^[0-9]+(ms|s|m|h|d)$")]
    pub ttl: Cow<'static, str>,
    /// Delivery retries so far.
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, crate::EventSchema)]
// `read_json = false`: its reader borrows the event type and version (`json::envelope`).
#[event(bound = "T: KafkaEvent", validate_with = check_identity, read_json = false)]
pub struct Envelope<T> {
    /// Unique id of this event.
    pub(crate) event_id: Uuid,
    /// The event's name, domain.entity.action.
    pub(crate) event_type: Cow<'static, str>,
    /// When the event happened, RFC 3339.
    pub(crate) timestamp: DateTime<Utc>,
    /// Schema version the event was written with; the major version is fixed per topic.
    pub(crate) version: Cow<'static, str>,
    /// The producing service.
    #[event(min_length = 1)]
    pub(crate) source: Cow<'static, str>,
    /// Id of the flow that caused this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) correlation_id: Option<Uuid>,
    /// The game session, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) session_id: Option<Uuid>,
    /// The player, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) player_id: Option<Uuid>,
    // The event itself: no doc comment, so that the schema's `data` is a plain `$ref` to the
    // event's definition (a description would wrap it in `allOf`).
    pub(crate) data: T,
    /// Delivery metadata.
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
            source: Cow::Borrowed(UNKNOWN_SOURCE),
            correlation_id: None,
            session_id: None,
            player_id: None,
            data,
            metadata: Metadata {
                priority: <T::Domain as Domain>::PRIORITY,
                ttl: Cow::Borrowed(<T::Domain as Domain>::DEFAULT_TTL),
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

    /// Sets the producing service, e.g. `"combat-service"` (a `&'static str` is held, not
    /// copied).
    pub fn with_source(mut self, source: impl Into<Cow<'static, str>>) -> Self {
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

    /// Sets the event's time to live, e.g. `"7d"` or `"30m"` (a `&'static str` is held, not
    /// copied).
    pub fn with_ttl(mut self, ttl: impl Into<Cow<'static, str>>) -> Self {
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

/// The checks of an envelope that depend on its event (the schema states them as the
/// `event_type` constant and the `version` pattern of [`envelope_schema`]); the derive's
/// validator runs them before the fields' own constraints.
fn check_identity<T: KafkaEvent>(
    envelope: &Envelope<T>,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    if envelope.event_type != T::EVENT_TYPE {
        errors.push(Violation {
            pointer: at.key("event_type").pointer(),
            keyword: "const",
            message: format!(
                "expected `{}`, found `{}`",
                T::EVENT_TYPE,
                envelope.event_type
            ),
        });
    }
    // The version `T` is written in (what a record of `T` usually carries) is well formed.
    if envelope.version != T::VERSION.as_str()
        && !is_version_of_major(&envelope.version, T::VERSION.major())
    {
        errors.push(Violation {
            pointer: at.key("version").pointer(),
            keyword: "pattern",
            message: format!(
                "`{}` is not a version {}.MINOR.PATCH",
                envelope.version,
                T::VERSION.major()
            ),
        });
    }
}

/// Whether `version` matches `^{major}\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`.
fn is_version_of_major(version: &str, major: u64) -> bool {
    // Split on bytes: `str::split` sets up a pattern searcher per call, on the hot path.
    let mut parts = version.as_bytes().split(|&byte| byte == b'.');
    let mut number = || parts.next().filter(|part| is_version_number(part));
    let first = number().and_then(crate::version::parse_number);
    first == Some(major) && number().is_some() && number().is_some() && parts.next().is_none()
}

/// The schema of the envelope of event `E`, written from the envelope's derived schema: its
/// `event_type` is fixed to `E::EVENT_TYPE`, its `version` must keep `E`'s major version, and
/// its `data` is `E` (under `definitions`, added to `generator`).
pub fn envelope_schema<E: KafkaEvent>(generator: &mut SchemaGenerator) -> SchemaObject {
    let mut envelope = match generator.inline_schema_for::<Envelope<E>>() {
        Schema::Object(object) => *object,
        Schema::Bool(_) => SchemaObject::default(),
    };
    for (name, property) in &mut envelope.properties {
        let Schema::Object(property) = property else {
            continue;
        };
        match name.as_str() {
            "event_type" => property.constant = Some(E::EVENT_TYPE.into()),
            "version" => {
                property.pattern = Some(format!(
                    r"^{}\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$",
                    E::VERSION.major()
                ));
            }
            _ => {}
        }
    }
    envelope
}
