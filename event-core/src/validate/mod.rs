//! Validation compiled by the derive: every constraint a schema states is checked by
//! straight-line Rust generated for each type, not by interpreting the schema.
//!
//! ```
//! # event_core::domain! { pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High, key_fields: [session_id, player_id] } }
//! use event_core::validate::Validate;
//! # #[derive(event_core::KafkaEvent, serde::Serialize, serde::Deserialize)]
//! # #[event("combat.player.attack")]
//! # pub struct Attack { #[event(max_length = 4)] pub weapon: String, #[event(maximum = 100)] pub damage: u32 }
//! let attack = Attack { weapon: "railgun".into(), damage: 250 };
//! let violations = attack.validate().unwrap_err();
//! assert_eq!(violations.len(), 2);
//! assert_eq!(violations[0].pointer, "/weapon");
//! assert_eq!(violations[0].keyword, "maxLength");
//! ```

mod checks;
mod impls;
mod location;
mod pattern;

pub use checks::*;
pub use location::{escape_segment, Location};
pub use pattern::Pattern;

use std::fmt;

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where, as a JSON pointer into the serialised value (`/player_ids/3`).
    pub pointer: String,
    /// The JSON Schema keyword that is broken (`maxLength`, `minimum` …).
    pub keyword: &'static str,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}: {}", self.keyword, self.message)
    }
}

/// Every violation of a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} constraint violation(s): {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct Violations(pub Vec<Violation>);

impl std::ops::Deref for Violations {
    type Target = [Violation];
    fn deref(&self) -> &[Violation] {
        &self.0
    }
}

/// A value whose constraints can be checked. `#[derive(KafkaEvent)]` and
/// `#[derive(EventSchema)]` implement it from the `#[event(..)]` keywords; the standard types
/// have nothing to check of their own (their Rust type already guarantees their schema), except
/// floats, which must be finite (serde_json writes NaN and infinities as `null`).
pub trait Validate {
    /// Adds every violation of `self`, found at `at`, to `errors`.
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        let _ = (at, errors);
    }

    /// Every violation of `self`, or `Ok` if there is none.
    fn validate(&self) -> Result<(), Violations> {
        let mut errors = Vec::new();
        self.validate_at(&Location::ROOT, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Violations(errors))
        }
    }
}
