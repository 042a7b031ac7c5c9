//! [`Catalog`]: the events a crate publishes, gathered from its `DomainEvents` enums, with what
//! the tools need of each (schema, example, binary layout) and where its snapshots live.

use std::path::{Path, PathBuf};

use event_core::binary::BinaryLayout;
use event_core::catalog::{check_unique, example_envelope, CatalogError, EventDescriptor};
use event_core::catalog::{EventVisitor, Example};
use event_core::codec::DecodeOptions;
use event_core::codec::{CodecError, DomainEvents, KafkaRecord};
use event_core::validate::{Validate, Violations};
use event_core::Envelope;

/// One event of a catalog: what the derive declares of it, and what the tools do with its
/// example.
#[derive(Debug, Clone, Copy)]
pub struct CatalogEvent {
    /// Name, version, topic and schema of the event.
    pub descriptor: EventDescriptor,
    /// Whether a `DomainEvents` enum of another domain lists the event: several domains act on
    /// it (a player's ban …). Its export goes to the `domains` folder, as the specification's
    /// cross-domain events do.
    pub cross_domain: bool,
    /// The example wrapped in a complete envelope with fixed ids and time, as JSON.
    pub example_envelope: fn() -> serde_json::Value,
    /// Reads an envelope of this event with serde into its Rust type and writes it back.
    pub reserialize: fn(&serde_json::Value) -> Result<serde_json::Value, serde_json::Error>,
    /// Reads an envelope of this event with serde and runs the generated validator on it.
    pub validate: fn(&serde_json::Value) -> Result<Result<(), Violations>, serde_json::Error>,
    /// Encodes the example into its Kafka record.
    pub example_record: fn() -> Result<KafkaRecord, CodecError>,
    /// Encodes the example as a binary record, decodes it back and compares; the record's size,
    /// or `None` when the event has no binary form (`#[event(binary)]`).
    pub binary_round_trip: fn() -> Option<Result<usize, String>>,
    /// The record's fields in declaration order, their layout order and the size of the fixed
    /// part of the archived envelope, for the layout report; `None` without a binary form.
    pub binary_layout: fn() -> Option<BinaryLayout>,
    /// The wire names of the data's fields in declaration order
    /// ([`KafkaEvent::DECLARED_FIELDS`](event_core::KafkaEvent::DECLARED_FIELDS)).
    pub declared_fields: &'static [&'static str],
    /// Hands the example, with a fresh event id and timestamp, to a producer.
    #[cfg(feature = "kafka")]
    pub publish_example: fn(
        &event_kafka::EventProducer,
    ) -> Result<event_kafka::PendingDelivery, event_kafka::ProduceError>,
}

impl CatalogEvent {
    /// The catalog entry of `E`.
    pub fn of<E: Example>() -> Self {
        CatalogEvent {
            descriptor: EventDescriptor::of::<E>(),
            cross_domain: false,
            example_envelope: || as_written(&example_envelope(E::example())),
            reserialize: |json| {
                let envelope: Envelope<E> = serde_json::from_value(json.clone())?;
                Ok(as_written(&envelope))
            },
            validate: |json| {
                let envelope: Envelope<E> = serde_json::from_value(json.clone())?;
                Ok(envelope.validate())
            },
            example_record: || example_envelope(E::example()).to_record(),
            binary_round_trip: || {
                let envelope = example_envelope(E::example());
                let round_trip = |bytes: Vec<u8>| {
                    let back = E::from_binary_value(&bytes, &DecodeOptions::default())?
                        .map_err(|e| e.to_string());
                    Some(match back {
                        Ok(back) if back == envelope => Ok(bytes.len()),
                        Ok(back) => Err(format!("decoded {back:?}, expected {envelope:?}")),
                        Err(e) => Err(e),
                    })
                };
                match E::binary_value(&envelope)? {
                    Ok(bytes) => round_trip(bytes),
                    Err(e) => Some(Err(e.to_string())),
                }
            },
            binary_layout: E::binary_layout,
            declared_fields: E::DECLARED_FIELDS,
            #[cfg(feature = "kafka")]
            publish_example: |producer| {
                let envelope = example_envelope(E::example())
                    .with_event_id(uuid::Uuid::new_v4())
                    .with_timestamp(chrono::Utc::now());
                producer.enqueue(&envelope)
            },
        }
    }

    /// `domain.entity.action`.
    pub fn event_type(&self) -> &'static str {
        self.descriptor.event_type
    }

    /// The export folder of the event: `domains` for a cross-domain event, else its domain.
    pub fn folder(&self) -> &'static str {
        if self.cross_domain {
            CROSS_DOMAIN_FOLDER
        } else {
            self.descriptor.domain
        }
    }
}

/// The export folder of cross-domain events (see [`CatalogEvent::cross_domain`]).
pub const CROSS_DOMAIN_FOLDER: &str = "domains";

/// `value` as the JSON text serde writes, read back: `serde_json::to_value` would widen an `f32`
/// (0.6 becomes 0.6000000238418579), the text keeps its shortest form.
fn as_written<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_vec(value)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Collects a [`CatalogEvent`] per visited event of an enum of domain `domain`.
struct Collect {
    domain: &'static str,
    events: Vec<CatalogEvent>,
}

impl EventVisitor for Collect {
    fn visit<E: Example>(&mut self) {
        let mut event = CatalogEvent::of::<E>();
        event.cross_domain = E::DOMAIN != self.domain;
        self.events.push(event);
    }
}

/// A catalog: its title, its events (from its `DomainEvents` enums), the folder its snapshots
/// are committed in and the binary that exports it.
///
/// ```
/// use event_tools::Catalog;
/// # use event_core::{catalog::Example, DomainEvents, Envelope, KafkaEvent};
/// # event_core::domain! { pub struct Ops { name: "ops", topic: "ops.events", partitions: 1, retention_days: 1, priority: Low } }
/// # #[derive(KafkaEvent, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// # #[event("ops.node.started")]
/// # pub struct NodeStarted { pub node: String }
/// # impl Example for NodeStarted { fn example() -> Self { NodeStarted { node: "n1".into() } } }
/// # #[derive(DomainEvents, Debug)]
/// # pub enum OpsEvent { NodeStarted(Envelope<NodeStarted>) }
/// let catalog = Catalog::new("ops events", env!("CARGO_MANIFEST_DIR"))
///     .with_domain::<OpsEvent>()
///     .with_export_binary("export-ops");
/// assert_eq!(catalog.events().len(), 1);
/// assert_eq!(catalog.accept_command(), "cargo run --bin export-ops -- --accept");
/// assert!(catalog.snapshot_folder().ends_with("schemas"));
/// ```
#[derive(Debug, Clone)]
pub struct Catalog {
    title: String,
    root: PathBuf,
    snapshots: PathBuf,
    export_binary: Option<String>,
    events: Vec<CatalogEvent>,
}

impl Catalog {
    /// An empty catalog titled `title` (in the bundle and the AsyncAPI document) whose files
    /// live under `root`: snapshots in `root/schemas`, exports in `root/out` by default. A
    /// crate passes `env!("CARGO_MANIFEST_DIR")` (or the workspace root).
    pub fn new(title: impl Into<String>, root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Catalog {
            title: title.into(),
            snapshots: root.join("schemas"),
            root,
            export_binary: None,
            events: Vec::new(),
        }
    }

    /// Adds the events of a dispatch enum (`#[derive(DomainEvents)]`). An event listed by
    /// several enums is one event of the catalog, cross-domain when an enum of another domain
    /// lists it.
    pub fn with_domain<D: DomainEvents>(mut self) -> Self {
        let mut collect = Collect {
            domain: D::DOMAIN,
            events: std::mem::take(&mut self.events),
        };
        D::visit_events(&mut collect);
        self.events = collect.events;
        self.events
            .sort_by_key(|event| (event.descriptor.event_type, event.descriptor.rust_type));
        self.events.dedup_by(|later, kept| {
            let same = later.descriptor.event_type == kept.descriptor.event_type
                && later.descriptor.rust_type == kept.descriptor.rust_type;
            if same {
                kept.cross_domain |= later.cross_domain;
            }
            same
        });
        self
    }

    /// Keeps the snapshots in `folder` instead of `root/schemas`.
    pub fn with_snapshot_folder(mut self, folder: impl Into<PathBuf>) -> Self {
        self.snapshots = folder.into();
        self
    }

    /// Names the binary that runs [`cli::main`](crate::cli::main) on this catalog, for the
    /// commands printed by the snapshot gate (`cargo run --bin NAME -- --accept`). By default,
    /// the binary that is running, or `export-schemas` when that is a test.
    pub fn with_export_binary(mut self, name: impl Into<String>) -> Self {
        self.export_binary = Some(name.into());
        self
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The folder the catalog's files live under.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of committed snapshots.
    pub fn snapshot_folder(&self) -> &Path {
        &self.snapshots
    }

    /// Every event, sorted by name (an event listed by several enums appears once).
    pub fn events(&self) -> &[CatalogEvent] {
        &self.events
    }

    /// `Ok` if no two Rust types declare the same event name.
    pub fn check_unique(&self) -> Result<(), CatalogError> {
        check_unique(self.events.iter().map(|e| e.descriptor).collect()).map(|_| ())
    }

    /// The binary that exports the catalog (see [`with_export_binary`](Self::with_export_binary)).
    pub fn export_binary(&self) -> String {
        if let Some(name) = &self.export_binary {
            return name.clone();
        }
        std::env::current_exe()
            .ok()
            .and_then(|path| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .filter(|name| !is_test_harness(name))
            .unwrap_or_else(|| "export-schemas".to_owned())
    }

    /// The command that accepts new and compatible schemas.
    pub fn accept_command(&self) -> String {
        format!("cargo run --bin {} -- --accept", self.export_binary())
    }
}

/// Whether `name` is a test harness cargo built (`name-<16 hex digits>`).
fn is_test_harness(name: &str) -> bool {
    name.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_harnesses_are_recognised() {
        assert!(is_test_harness("snapshot_gate-0123456789abcdef"));
        assert!(!is_test_harness("export-schemas"));
        assert!(!is_test_harness("export-ops"));
    }
}
