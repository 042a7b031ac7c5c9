//! # event-domains
//!
//! The game's event catalog: every event of the combat, economy, social and system domains (and
//! the cross-domain player events they all act on) as
//! a typed, documented, constrained Rust struct with a checked-in example, and the
//! `export-schemas` binary that hands every other team their schemas, topics and examples.
//!
//! ```
//! use event_core::KafkaEvent;
//! use event_domains::combat::CombatSessionStart;
//! // `game.combat.events`, or `game.combat.events.v2` … once the event has a new major version
//! assert!(CombatSessionStart::TOPIC.starts_with("game.combat.events"));
//! assert!(event_domains::catalog().events().len() >= 30);
//! ```
#![warn(missing_docs)]

pub mod catalog;
pub mod combat;
pub mod economy;
pub mod player;
pub mod shared;
pub mod social;
pub mod system;

pub use catalog::{CombatEvent, EconomyEvent, GameEvent, PlayerEvent, SocialEvent, SystemEvent};

/// The game's catalog for the tools: its four domains and the cross-domain player events,
/// snapshots in `schemas/` at the workspace root, exported by `cargo run --bin export-schemas`.
#[cfg(feature = "tools")]
pub fn catalog() -> event_tools::Catalog {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(std::path::Path::new("."));
    event_tools::Catalog::new("kafka-events catalog", workspace)
        .with_domain::<CombatEvent>()
        .with_domain::<EconomyEvent>()
        .with_domain::<SocialEvent>()
        .with_domain::<SystemEvent>()
        .with_domain::<PlayerEvent>()
        .with_export_binary("export-schemas")
}
