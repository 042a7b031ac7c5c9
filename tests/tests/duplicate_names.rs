//! Two types declaring the same event name are caught by the registry (so by `cargo test` and
//! `export-schemas`), naming both types. A test binary of its own, so the duplicates it
//! declares do not leak into other tests.

use event_core::registry::{catalog, RegistryError};
use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

mod first {
    use super::*;
    /// One declaration.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("combat.duplicate.declared")]
    pub struct Declared {
        /// A field.
        pub a: u8,
    }
}

mod second {
    use super::*;
    /// The same name again.
    #[derive(KafkaEvent, Serialize, Deserialize)]
    #[event("combat.duplicate.declared", version = "1.1.0")]
    pub struct Declared {
        /// A field.
        pub b: u8,
    }
}

#[test]
fn duplicate_event_names_are_reported_with_both_types() {
    let error = catalog().expect_err("duplicates must be rejected");
    let RegistryError::DuplicateEventNames(duplicates) = &error;
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0].event_type, "combat.duplicate.declared");
    let message = error.to_string();
    assert!(
        message.contains("duplicate_names::first::Declared"),
        "{message}"
    );
    assert!(
        message.contains("duplicate_names::second::Declared"),
        "{message}"
    );
}
