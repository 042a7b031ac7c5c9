//! Personal data: fields marked `#[event(pii)]`, the [`Personal`] string they hold, and where
//! they are in an event (found from the schema's `"confluent:tags": ["PII"]`).
//!
//! A `#[event(pii)]` field is a [`Personal`] (or an `Option` of one): in the producer it is
//! the clear text; in the consumer it is the clear text when it could be decrypted, and
//! [`Personal::Sealed`] (encrypted, erased or without a key) when it could not. Its `Debug`
//! never shows the text, so logging an event or an [`Envelope`](crate::Envelope) shows no
//! personal data.
//!
//! ```
//! # event_core::domain! { pub struct Social { name: "social", topic: "game.social.events", partitions: 3, retention_days: 30, priority: Low } }
//! use event_core::{personal::Personal, KafkaEvent};
//! #[derive(KafkaEvent, serde::Serialize, serde::Deserialize, Debug)]
//! #[event("social.chat.message_sent", version = "1.0.0", data_subject = sender_id)]
//! pub struct ChatMessageSent {
//!     pub sender_id: uuid::Uuid,
//!     #[event(pii, max_length = 500)]
//!     pub text: Personal,
//! }
//! let message = ChatMessageSent { sender_id: uuid::Uuid::nil(), text: "meet at 9".into() };
//! assert!(!format!("{message:?}").contains("meet at 9"));
//! let schema = ChatMessageSent::json_schema();
//! let text = &schema["definitions"]["ChatMessageSent"]["properties"]["text"];
//! assert_eq!(text["confluent:tags"], serde_json::json!(["PII"]));
//! ```

mod paths;
mod redact;
mod value;

pub use paths::{PersonalField, PersonalPaths};
pub use redact::without_values;
pub use value::{Personal, PersonalKeywords, SealReason, Sealed};

/// The schema keyword that tags a field (Confluent's data contracts read it).
pub const TAGS_KEYWORD: &str = "confluent:tags";

/// The tag of personal data.
pub const PII_TAG: &str = "PII";

/// Record header listing the JSON pointers (into the envelope) of the fields the producer
/// encrypted, as a JSON array of strings: the consumer decrypts exactly these.
pub const ENCRYPTED_FIELDS_HEADER: &str = "pii.encrypted";
