//! # event-domains
//!
//! The game's event catalog: every event of the combat, economy, social and system domains as
//! a typed, documented, constrained Rust struct with a checked-in example, and the
//! `export-schemas` binary that hands every other team their schemas, topics and examples.
//!
//! ```
//! use event_core::KafkaEvent;
//! use event_domains::combat::CombatSessionStart;
//! assert_eq!(CombatSessionStart::TOPIC, "game.combat.events");
//! assert!(event_domains::catalog::events().len() >= 30);
//! ```
#![warn(missing_docs)]

pub mod catalog;
pub mod codegen;
pub mod combat;
pub mod economy;
pub mod export;
pub mod layout_report;
pub mod shared;
pub mod social;
pub mod system;
