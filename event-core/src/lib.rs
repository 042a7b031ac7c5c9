//! # event-core
//!
//! The runtime of kafka-events: it turns plain Rust structs into governed Kafka event
//! contracts. Derive [`KafkaEvent`] on a struct, name it `domain.entity.action`, and get its
//! Draft 7 JSON Schema (envelope included), its topic and its place in the catalog.
//!
//! ```
//! use event_core::{EventSchema, KafkaEvent};
//! use serde::{Deserialize, Serialize};
//!
//! event_core::domain! {
//!     /// Combat: sessions, attacks, damage (hot path).
//!     pub struct Combat {
//!         name: "combat",
//!         topic: "game.combat.events",
//!         partitions: 24,
//!         retention_days: 7,
//!         priority: High,
//!         key_fields: [session_id, player_id],
//!     }
//! }
//!
//! /// A match-maker opened a new combat session.
//! #[derive(KafkaEvent, Serialize, Deserialize)]
//! #[event("combat.session.start", version = "1.0.0")]
//! pub struct CombatSessionStart {
//!     pub session_id: uuid::Uuid,
//!     /// Map identifier.
//!     #[event(max_length = 64)]
//!     pub map_id: String,
//!     pub mode: GameMode,
//!     #[event(minimum = 2, maximum = 128)]
//!     pub max_players: u16,
//!     pub ranked: bool,
//! }
//!
//! /// How a session is played.
//! #[derive(EventSchema, Serialize, Deserialize)]
//! #[serde(rename_all = "snake_case")]
//! pub enum GameMode { Deathmatch, CaptureTheFlag }
//!
//! let schema = CombatSessionStart::json_schema();
//! assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
//! let data = &schema["definitions"]["CombatSessionStart"];
//! assert_eq!(data["properties"]["map_id"]["maxLength"], 64);
//! assert_eq!(schema["definitions"]["GameMode"]["enum"][1], "capture_the_flag");
//! ```
#![warn(missing_docs)]

// Lets the derives' absolute `::event_core::…` paths work inside this crate too.
extern crate self as event_core;

pub mod access;
pub mod audit;
pub mod binary;
pub mod catalog;
pub mod codec;
/// The JSON Schema compatibility checker (the `event-compat` crate), re-exported: the derive
/// names its modes (`#[event(compat = …)]`) and the snapshot gate runs it.
pub use event_compat as compat;
pub mod document;
pub mod domain;
pub mod envelope;
pub mod json;
pub mod layout;
mod leading;
pub mod metrics;
pub mod personal;
pub mod schema;
pub mod topic;
mod traits;
pub mod validate;
mod version;

pub use codec::DomainEvents;
pub use domain::{Domain, Priority};
pub use envelope::{Envelope, Metadata};
pub use event_macros::{DomainEvents, EventSchema, KafkaEvent};
pub use traits::{EventSchema, KafkaEvent};
pub use version::SemVer;

/// What generated code names (the derives, `domain!`): not public API, no stability promise.
#[doc(hidden)]
pub mod __private;
