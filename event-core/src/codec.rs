//! The runtime codec: validated JSON encode and decode of envelopes, and Kafka records (topic,
//! key, headers, value) without any Kafka client.
//!
//! ```
//! # event_core::domain! { pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High, key_fields: [session_id, player_id] } }
//! use event_core::{Envelope, KafkaEvent};
//! # #[derive(event_core::KafkaEvent, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! # #[event("combat.player.attack")]
//! # pub struct Attack { pub session_id: uuid::Uuid, #[event(maximum = 1000)] pub damage: u32 }
//! let envelope = Envelope::new(Attack { session_id: uuid::Uuid::nil(), damage: 12 });
//! let bytes = envelope.to_json().unwrap();
//! let back = Envelope::<Attack>::from_json(&bytes).unwrap();
//! assert_eq!(back, envelope);
//!
//! let record = envelope.to_record().unwrap();
//! assert_eq!(record.topic, "game.combat.events");
//! assert_eq!(record.key.as_deref(), Some(&b"00000000-0000-0000-0000-000000000000"[..]));
//! assert_eq!(record.header("event_type"), Some(&b"combat.player.attack"[..]));
//! ```

use std::borrow::Cow;

use serde::Deserialize;

use crate::envelope::Envelope;
use crate::topic::MAX_MESSAGE_BYTES;
use crate::validate::{Validate, Violations};
use crate::KafkaEvent;

/// Why an envelope could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// The message is larger than allowed; checked before parsing.
    #[error("the message has {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// The message's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not JSON, truncated, or not the shape of the envelope. The message never quotes the
    /// value ([`without_values`](crate::personal::without_values)).
    #[error("{}: {message}", if pointer.is_empty() { "/" } else { pointer.as_str() })]
    Malformed {
        /// Where the parser stopped, as a JSON pointer.
        pointer: String,
        /// What the parser says.
        message: String,
    },
    /// The envelope carries another event.
    #[error("/event_type: expected `{expected}`, found `{found}`")]
    WrongEventType {
        /// This reader's event.
        expected: &'static str,
        /// The envelope's event.
        found: String,
    },
    /// The envelope was written with another major version.
    #[error("/version: the event was written with version {found}; this reader reads major version {expected}")]
    IncompatibleVersion {
        /// This reader's major version.
        expected: u64,
        /// The envelope's version.
        found: String,
    },
    /// Constraints of the schema are broken.
    #[error(transparent)]
    Invalid(#[from] Violations),
    /// serde could not write the value.
    #[error("cannot serialise the envelope: {0}")]
    Encode(String),
    /// A binary record that is corrupt, truncated or not this event's (bytecheck's message).
    #[error("binary record: {0}")]
    Binary(String),
    /// A binary record of an event type that has no binary form (`#[event(binary = false)]`
    /// or generic).
    #[error("`{event_type}` has no binary form; it travels as JSON")]
    NoBinaryForm {
        /// The event.
        event_type: &'static str,
    },
}

/// Limits applied when decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Larger messages are rejected before parsing; Kafka's `max.message.bytes` of the topic by
    /// default.
    pub max_message_bytes: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            max_message_bytes: MAX_MESSAGE_BYTES as usize,
        }
    }
}

/// How a record's value is written, announced by its `content-type` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WireFormat {
    /// The envelope as JSON ([`CONTENT_TYPE`]): what every language reads.
    #[default]
    Json,
    /// The envelope's binary record ([`BINARY_CONTENT_TYPE`], rkyv in layout order): about half
    /// the bytes and a fraction of the CPU of JSON, for hot-path topics whose consumers are Rust
    /// services. An event without a binary form is written as JSON.
    Binary,
}

impl WireFormat {
    /// The `content-type` header value of the format.
    pub const fn content_type(self) -> &'static str {
        match self {
            WireFormat::Json => CONTENT_TYPE,
            WireFormat::Binary => BINARY_CONTENT_TYPE,
        }
    }

    /// The format a record's `content-type` header announces: JSON without one (what other
    /// clients write), JSON with or without parameters (`application/json; charset=utf-8`),
    /// the binary record, or an error naming the unknown type.
    ///
    /// ```
    /// use event_core::codec::WireFormat;
    /// assert_eq!(WireFormat::of(None), Ok(WireFormat::Json));
    /// assert_eq!(WireFormat::of(Some(b"application/json; charset=utf-8")), Ok(WireFormat::Json));
    /// assert_eq!(WireFormat::of(Some(b"application/vnd.kafka-events.rkyv")), Ok(WireFormat::Binary));
    /// assert!(WireFormat::of(Some(b"text/csv")).is_err());
    /// ```
    pub fn of(content_type: Option<&[u8]>) -> Result<WireFormat, DispatchError> {
        let Some(header) = content_type else {
            return Ok(WireFormat::Json);
        };
        let media = header
            .split(|&byte| byte == b';')
            .next()
            .unwrap_or_default()
            .trim_ascii();
        if media.eq_ignore_ascii_case(CONTENT_TYPE.as_bytes()) {
            Ok(WireFormat::Json)
        } else if media.eq_ignore_ascii_case(BINARY_CONTENT_TYPE.as_bytes()) {
            Ok(WireFormat::Binary)
        } else {
            // Quoted in errors and dead-letter headers: at most 64 bytes of it.
            let shown = &header[..header.len().min(64)];
            Err(DispatchError::UnsupportedContentType {
                content_type: String::from_utf8_lossy(shown).into_owned(),
            })
        }
    }
}

/// Which headers a record carries. Every field a header repeats is in the value too, and the
/// consumers of every language read a record either way: they dispatch on the `event_type`
/// header (without one, on the value's) and take a missing `content-type` for JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderSet {
    /// `event_type`, `event_version`, `content-type`, and `correlation_id` when the envelope
    /// has one: tools that read headers only (a broker's UI, a router) see the version and
    /// the correlation without parsing the value.
    #[default]
    Full,
    /// `event_type` alone, plus `content-type` on a binary record (a JSON record is JSON
    /// without one). Fewer bytes per record, and two or three fewer headers for librdkafka to
    /// allocate, batch, compress, parse and free on each side: for hot-path producers.
    Lean,
    /// No header on a JSON record (a binary record, which names its event by a hash, carries
    /// [`Lean`](Self::Lean)'s): its consumers dispatch on the envelope's own `event_type`,
    /// its second member, read without parsing the rest ([`event_type_of`]). No header list
    /// for librdkafka to allocate, batch, parse and free per record on either side. For
    /// topics whose consumers read the event type from the value when the header is missing
    /// (event-kafka's and the Go and TypeScript consumers of `interop/` do; a tool that
    /// routes on the header alone does not).
    None,
}

/// What a record carries besides the envelope, and how its value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordOptions {
    /// Add the CloudEvents Kafka binding's headers (`ce_specversion`, `ce_id`, `ce_source`,
    /// `ce_type`, `ce_time`) in binary content mode; the value stays the envelope.
    pub cloud_events: bool,
    /// JSON (the default) or the binary record.
    pub format: WireFormat,
    /// Every header (the default) or the lean set.
    pub headers: HeaderSet,
}

/// A Kafka record, ready for any client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KafkaRecord {
    /// The topic.
    pub topic: &'static str,
    /// The partition key: one session's (or player's) events share a partition and stay
    /// ordered. `None` lets the producer spread the records.
    pub key: Option<Vec<u8>>,
    /// Headers, in a fixed order.
    pub headers: Vec<(&'static str, Vec<u8>)>,
    /// The envelope as JSON.
    pub value: Vec<u8>,
}

impl KafkaRecord {
    /// The value of the first header named `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
    }
}

/// Header carrying the event name.
pub const EVENT_TYPE_HEADER: &str = "event_type";
/// Header carrying the schema version.
pub const VERSION_HEADER: &str = "event_version";
/// Header carrying the correlation id.
pub const CORRELATION_HEADER: &str = "correlation_id";
/// Header carrying the content type.
pub const CONTENT_TYPE_HEADER: &str = "content-type";
/// The content type of every value.
pub const CONTENT_TYPE: &str = "application/json";

/// The `content-type` of a record whose value is the envelope's binary record
/// ([`WireFormat::Binary`]).
pub const BINARY_CONTENT_TYPE: &str = "application/vnd.kafka-events.rkyv";

/// Bytes of a partition key: an id as its lower-case hyphenated text, a string as its bytes,
/// an integer in decimal.
///
/// ```
/// use event_core::codec::KeyBytes;
/// let id = uuid::Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
/// assert_eq!(id.key_bytes(), Some(id.hyphenated().to_string().into_bytes()));
/// assert_eq!(id.key_bytes(), Some(b"67e55044-10b1-426f-9247-bb680e5fe0c8".to_vec()));
/// assert_eq!(42u32.key_bytes(), Some(b"42".to_vec()));
/// assert_eq!(i64::MIN.key_bytes(), Some(i64::MIN.to_string().into_bytes()));
/// assert_eq!(None::<String>.key_bytes(), None);
/// ```
pub trait KeyBytes {
    /// The key, or `None` for no key.
    fn key_bytes(&self) -> Option<Vec<u8>>;
}

impl KeyBytes for uuid::Uuid {
    fn key_bytes(&self) -> Option<Vec<u8>> {
        // The JSON writer's text of the id without its quotes: no formatter, one allocation.
        Some(crate::json::quoted_hyphenated(self)[1..37].to_vec())
    }
}

impl KeyBytes for String {
    fn key_bytes(&self) -> Option<Vec<u8>> {
        Some(self.as_bytes().to_vec())
    }
}

macro_rules! integer_keys {
    ($($ty:ty),*) => {$(
        impl KeyBytes for $ty {
            fn key_bytes(&self) -> Option<Vec<u8>> {
                Some(itoa::Buffer::new().format(*self).as_bytes().to_vec())
            }
        }
    )*};
}
integer_keys!(u8, u16, u32, u64, i8, i16, i32, i64);

impl<T: KeyBytes> KeyBytes for Option<T> {
    fn key_bytes(&self) -> Option<Vec<u8>> {
        self.as_ref().and_then(KeyBytes::key_bytes)
    }
}

/// The error of a failed parse, with the JSON pointer where it failed.
fn malformed<T: KafkaEvent>(bytes: &[u8], error: serde_json::Error) -> CodecError {
    // The cold path: parse again, tracking the path, to say where it failed.
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let pointer = match serde_path_to_error::deserialize::<_, Envelope<T>>(&mut deserializer) {
        Err(tracked) => pointer_of(tracked.path()),
        Ok(_) => String::new(),
    };
    CodecError::Malformed {
        pointer,
        message: crate::personal::without_values(&error.to_string()),
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push_str(&format!("/{}", crate::validate::escape_segment(key)))
            }
            Segment::Enum { variant } => pointer.push_str(&format!("/{variant}")),
            Segment::Unknown => {}
        }
    }
    pointer
}

/// Only the identity of an envelope, to name a wrong event type even when the rest does not
/// parse as this event.
#[derive(Deserialize)]
struct Identity {
    event_type: String,
}

/// The `event_type` of a JSON envelope, read without parsing the data.
pub fn peek_event_type(bytes: &[u8]) -> Option<String> {
    serde_json::from_slice::<Identity>(bytes)
        .ok()
        .map(|identity| identity.event_type)
}

fn major_of(version: &str) -> Option<u64> {
    let major = version.as_bytes().split(|&byte| byte == b'.').next()?;
    crate::version::parse_number(major)
}

impl<T: KafkaEvent> Envelope<T> {
    /// The envelope as JSON, after checking every constraint.
    pub fn to_json(&self) -> Result<Vec<u8>, CodecError> {
        self.validate()?;
        crate::json::to_vec(self).map_err(|error| CodecError::Encode(error.to_string()))
    }

    /// Decodes and checks an envelope of `T` with the default limits ([`DecodeOptions`]).
    pub fn from_json(bytes: &[u8]) -> Result<Self, CodecError> {
        Self::from_json_with(bytes, &DecodeOptions::default())
    }

    /// Decodes and checks an envelope of `T`: the size limit before parsing, then the parse,
    /// the event type, the major version and every constraint.
    pub fn from_json_with(bytes: &[u8], options: &DecodeOptions) -> Result<Self, CodecError> {
        if bytes.len() > options.max_message_bytes {
            return Err(CodecError::TooLarge {
                size: bytes.len(),
                limit: options.max_message_bytes,
            });
        }
        let envelope: Envelope<T> = match crate::json::from_slice(bytes) {
            Ok(envelope) => envelope,
            Err(error) => {
                return Err(match peek_event_type(bytes) {
                    Some(found) if found != T::EVENT_TYPE => CodecError::WrongEventType {
                        expected: T::EVENT_TYPE,
                        found,
                    },
                    _ => malformed::<T>(bytes, error),
                })
            }
        };
        envelope.check_identity()?;
        envelope.validate()?;
        Ok(envelope)
    }

    /// The envelope carries `T` in its major version.
    pub(crate) fn check_identity(&self) -> Result<(), CodecError> {
        if self.event_type() != T::EVENT_TYPE {
            return Err(CodecError::WrongEventType {
                expected: T::EVENT_TYPE,
                found: self.event_type().to_owned(),
            });
        }
        // The version `T` is written in (what a record of `T` usually carries) is its own.
        if self.version() != T::VERSION.as_str()
            && major_of(self.version()) != Some(T::VERSION.major())
        {
            return Err(CodecError::IncompatibleVersion {
                expected: T::VERSION.major(),
                found: self.version().to_owned(),
            });
        }
        Ok(())
    }

    /// The Kafka record of this envelope: `T`'s topic, the event's partition key, headers and
    /// the validated JSON value.
    pub fn to_record(&self) -> Result<KafkaRecord, CodecError> {
        self.to_record_with(&RecordOptions::default())
    }

    /// [`to_record`](Self::to_record) with options.
    pub fn to_record_with(&self, options: &RecordOptions) -> Result<KafkaRecord, CodecError> {
        let binary = match options.format {
            WireFormat::Binary => T::binary_value(self).transpose()?,
            WireFormat::Json => None,
        };
        let (value, format) = match binary {
            Some(value) => (value, WireFormat::Binary),
            None => (self.to_json()?, WireFormat::Json),
        };
        let full = options.headers == HeaderSet::Full;
        let headerless = options.headers == HeaderSet::None && format == WireFormat::Json;
        let mut headers: Vec<(&'static str, Vec<u8>)> = Vec::new();
        if !headerless {
            headers.reserve_exact(4);
            headers.push((EVENT_TYPE_HEADER, T::EVENT_TYPE.as_bytes().to_vec()));
        }
        if full {
            headers.push((VERSION_HEADER, self.version().as_bytes().to_vec()));
        }
        if full || format != WireFormat::Json {
            let content_type = format.content_type().as_bytes().to_vec();
            headers.push((CONTENT_TYPE_HEADER, content_type));
        }
        if let Some(id) = self.correlation_id().filter(|_| full) {
            headers.push((CORRELATION_HEADER, id.hyphenated().to_string().into_bytes()));
        }
        if options.cloud_events {
            headers.extend([
                ("ce_specversion", b"1.0".to_vec()),
                (
                    "ce_id",
                    self.event_id().hyphenated().to_string().into_bytes(),
                ),
                ("ce_source", self.source().as_bytes().to_vec()),
                ("ce_type", T::EVENT_TYPE.as_bytes().to_vec()),
                (
                    "ce_time",
                    self.timestamp()
                        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                        .into_bytes(),
                ),
            ]);
        }
        Ok(KafkaRecord {
            topic: T::TOPIC,
            key: self.data().partition_key(),
            headers,
            value,
        })
    }
}

/// Why a record of a domain's topic could not be decoded into the domain's event enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DispatchError {
    /// Neither the header nor the body names the event.
    #[error("the record has no `event_type` header and its body names no event_type")]
    MissingEventType,
    /// An event this domain does not declare (or another domain's).
    #[error("unknown event type `{event_type}` for domain `{domain}`")]
    UnknownEventType {
        /// The name found.
        event_type: String,
        /// The domain decoded.
        domain: &'static str,
    },
    /// The record's `content-type` is neither JSON nor the binary record.
    #[error("unsupported content-type `{content_type}`: expected `application/json` or `application/vnd.kafka-events.rkyv`")]
    UnsupportedContentType {
        /// The header's value (its first 64 bytes).
        content_type: String,
    },
    /// The event is known, but its envelope does not decode or validate.
    #[error("{event_type}: {error}")]
    Codec {
        /// The event.
        event_type: &'static str,
        /// Why.
        error: CodecError,
    },
}

impl CodecError {
    /// A stable, machine-readable name of the error's kind (`malformed`, `invalid` …), as
    /// written in dead-letter headers.
    pub fn kind(&self) -> &'static str {
        match self {
            CodecError::TooLarge { .. } => "too_large",
            CodecError::Malformed { .. } => "malformed",
            CodecError::WrongEventType { .. } => "wrong_event_type",
            CodecError::IncompatibleVersion { .. } => "incompatible_version",
            CodecError::Invalid(_) => "invalid",
            CodecError::Encode(_) => "encode",
            CodecError::Binary(_) => "binary",
            CodecError::NoBinaryForm { .. } => "no_binary_form",
        }
    }

    /// The JSON pointer of the first place the error concerns, when it has one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            CodecError::Malformed { pointer, .. } => Some(pointer),
            CodecError::WrongEventType { .. } => Some("/event_type"),
            CodecError::IncompatibleVersion { .. } => Some("/version"),
            CodecError::Invalid(violations) => violations.first().map(|v| v.pointer.as_str()),
            CodecError::TooLarge { .. }
            | CodecError::Encode(_)
            | CodecError::Binary(_)
            | CodecError::NoBinaryForm { .. } => None,
        }
    }
}

impl DispatchError {
    /// A stable, machine-readable name of the error's kind: `missing_event_type`,
    /// `unknown_event_type`, or the [`CodecError::kind`] of a known event's envelope.
    ///
    /// ```
    /// use event_core::codec::DispatchError;
    /// let error = DispatchError::UnknownEventType { event_type: "x.y.z".into(), domain: "combat" };
    /// assert_eq!(error.kind(), "unknown_event_type");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            DispatchError::MissingEventType => "missing_event_type",
            DispatchError::UnknownEventType { .. } => "unknown_event_type",
            DispatchError::UnsupportedContentType { .. } => "unsupported_content_type",
            DispatchError::Codec { error, .. } => error.kind(),
        }
    }

    /// The JSON pointer of the first place the error concerns, when it has one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            DispatchError::MissingEventType | DispatchError::UnknownEventType { .. } => {
                Some("/event_type")
            }
            DispatchError::UnsupportedContentType { .. } => None,
            DispatchError::Codec { error, .. } => error.pointer(),
        }
    }
}

/// The event enum of one domain, as a consumer of the domain's topics receives it: one variant
/// per event, each holding the validated envelope. Derive it with `#[derive(DomainEvents)]` on
/// an enum whose variants are `Name(Envelope<Event>)` (see [`catalog`](crate::catalog) for an
/// example); a Kafka consumer is generic over it. A variant `#[domain] Name(DomainEnum)` holds
/// every event of another such enum: one consumer then reads several domains.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a DomainEvents enum",
    label = "a `#[domain]` variant holds an enum with `#[derive(DomainEvents)]`"
)]
pub trait DomainEvents: Sized + std::fmt::Debug + Send + 'static {
    /// The domain of the enum: that of its first variant's event (`combat`). An enum may add
    /// events of other domains after its own, e.g. cross-domain events its consumers act on.
    const DOMAIN: &'static str;
    /// The names of the domain's events.
    const EVENT_TYPES: &'static [&'static str];

    /// The topics the domain's events are published on, sorted, without duplicates (one per
    /// major version in use).
    fn topics() -> Vec<&'static str>;

    /// Decodes a JSON record from its `event_type` header (or, without one, the body's
    /// `event_type`) and its value, with every check of [`Envelope::from_json`].
    fn decode(event_type_header: Option<&[u8]>, value: &[u8]) -> Result<Self, DispatchError> {
        Self::decode_as(event_type_header, WireFormat::Json, value)
    }

    /// Decodes a record written in `format` (read it from the `content-type` header with
    /// [`WireFormat::of`]) with every check of [`Envelope::from_json`] or
    /// [`Envelope::from_binary`](crate::Envelope::from_binary).
    fn decode_as(
        event_type_header: Option<&[u8]>,
        format: WireFormat,
        value: &[u8],
    ) -> Result<Self, DispatchError>;

    /// The event's Kafka record (validated, as [`Envelope::to_record`]).
    fn to_record(&self) -> Result<KafkaRecord, CodecError> {
        self.to_record_with(&RecordOptions::default())
    }

    /// The event's Kafka record with `options` (as [`Envelope::to_record_with`]).
    fn to_record_with(&self, options: &RecordOptions) -> Result<KafkaRecord, CodecError>;

    /// The event's name.
    fn event_type(&self) -> &'static str;

    /// The envelope's `event_id`.
    fn event_id(&self) -> uuid::Uuid;

    /// The envelope's `timestamp`: when the event was created.
    fn timestamp(&self) -> chrono::DateTime<chrono::Utc>;

    /// The same event with another `event_id`.
    fn with_event_id(self, id: uuid::Uuid) -> Self;

    /// The same event with another `timestamp`.
    fn with_timestamp(self, timestamp: chrono::DateTime<chrono::Utc>) -> Self;

    /// Decodes a record built by [`Envelope::to_record_with`], in the format its
    /// `content-type` header announces.
    fn decode_record(record: &KafkaRecord) -> Result<Self, DispatchError> {
        let format = WireFormat::of(record.header(CONTENT_TYPE_HEADER))?;
        Self::decode_as(record.header(EVENT_TYPE_HEADER), format, &record.value)
    }

    /// Calls [`EventVisitor::visit`](crate::catalog::EventVisitor::visit) once per event of
    /// the enum, in declaration order.
    fn visit_events<V: crate::catalog::EventVisitor>(visitor: &mut V);

    /// Every event of the enum: its [`Example`](crate::catalog::Example) in an
    /// [`example_envelope`](crate::catalog::example_envelope).
    fn examples() -> Vec<Self>;
}

/// Decodes an envelope of `T` written in `format`, with the default limits: what a
/// [`DomainEvents`] enum's derived `decode_as` calls for each of its events.
pub fn decode_envelope<T: KafkaEvent>(
    format: WireFormat,
    value: &[u8],
) -> Result<Envelope<T>, CodecError> {
    match format {
        WireFormat::Json => Envelope::from_json(value),
        WireFormat::Binary => T::from_binary_value(value, &DecodeOptions::default()).unwrap_or(
            Err(CodecError::NoBinaryForm {
                event_type: T::EVENT_TYPE,
            }),
        ),
    }
}

/// The event type of a record: its `event_type` header, else the body's `event_type` field,
/// read from the envelope's first members when they are plain strings as this crate writes
/// them (borrowed, nothing else parsed), else from a parse of the body.
///
/// ```
/// use event_core::codec::event_type_of;
/// let value = br#"{"event_id":"0b6e3ab4-5f3a-4f6e-9d2c-2f1b7c1e8a90","event_type":"combat.session.start","data":{}}"#;
/// assert_eq!(event_type_of(None, value).unwrap(), "combat.session.start");
/// assert_eq!(event_type_of(Some(b"combat.session.end"), value).unwrap(), "combat.session.end");
/// assert!(event_type_of(None, br#"{"data":{}}"#).is_err());
/// ```
pub fn event_type_of<'r>(
    header: Option<&'r [u8]>,
    value: &'r [u8],
) -> Result<Cow<'r, str>, DispatchError> {
    let name = match crate::__private::event_type_name(header, value)? {
        Cow::Borrowed(name) => std::str::from_utf8(name).ok().map(Cow::Borrowed),
        Cow::Owned(name) => String::from_utf8(name).ok().map(Cow::Owned),
    };
    // The name is UTF-8 whichever way it was found.
    name.ok_or(DispatchError::MissingEventType)
}
