//! Two types declaring the same event name in one catalog are caught when the catalog is
//! checked (by the snapshot gate and every `export-schemas` command), naming both types.

use event_core::catalog::{CatalogError, Example};
use event_core::{DomainEvents, Envelope, KafkaEvent};
use serde::{Deserialize, Serialize};

event_core::domain! {
    /// The fixture domain.
    pub struct Arena { name: "arena", topic: "test.arena.events", partitions: 1, retention_days: 1, priority: Low }
}

mod first {
    use super::*;
    /// One declaration.
    #[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[event("arena.duplicate.declared")]
    pub struct Declared {
        /// A field.
        pub a: u8,
    }
    impl Example for Declared {
        fn example() -> Self {
            Declared { a: 1 }
        }
    }
}

mod second {
    use super::*;
    /// The same name again.
    #[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[event("arena.duplicate.declared", version = "1.1.0")]
    pub struct Declared {
        /// A field.
        pub b: u8,
    }
    impl Example for Declared {
        fn example() -> Self {
            Declared { b: 2 }
        }
    }
}

/// One domain's enum.
#[derive(DomainEvents, Debug, Clone, PartialEq)]
pub enum FirstEvents {
    /// The first declaration.
    Declared(Envelope<first::Declared>),
}

/// Another enum of the same catalog, declaring the name again.
#[derive(DomainEvents, Debug, Clone, PartialEq)]
pub enum SecondEvents {
    /// The second declaration.
    Declared(Envelope<second::Declared>),
}

#[test]
fn duplicate_event_names_are_reported_with_both_types() {
    let catalog = event_tools::Catalog::new("duplicates", std::env::temp_dir())
        .with_domain::<FirstEvents>()
        .with_domain::<SecondEvents>();
    let error = catalog
        .check_unique()
        .expect_err("duplicates must be rejected");
    let CatalogError::DuplicateEventNames(duplicates) = &error;
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0].event_type, "arena.duplicate.declared");
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

#[test]
fn an_event_listed_by_two_enums_is_one_event_of_the_catalog() {
    let catalog = event_tools::Catalog::new("twice", std::env::temp_dir())
        .with_domain::<FirstEvents>()
        .with_domain::<FirstEvents>();
    assert_eq!(catalog.events().len(), 1);
    assert!(catalog.check_unique().is_ok());
}
