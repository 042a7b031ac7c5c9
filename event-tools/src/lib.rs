//! # event-tools
//!
//! The development tools of kafka-events, for any catalog: the snapshot gate that fails a
//! build on a breaking schema change, `--accept`, the export (schemas, bundle, topic
//! configurations, examples), Go/TypeScript/AsyncAPI generation, the layout report, and
//! [`cli::main`], the command line a catalog's few-line binary runs:
//!
//! ```no_run
//! # use event_core::{catalog::Example, DomainEvents, Envelope, KafkaEvent};
//! # event_core::domain! { pub struct Ops { name: "ops", topic: "ops.events", partitions: 1, retention_days: 1, priority: Low } }
//! # #[derive(KafkaEvent, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! # #[event("ops.node.started")]
//! # pub struct NodeStarted { pub node: String }
//! # impl Example for NodeStarted { fn example() -> Self { NodeStarted { node: "n1".into() } } }
//! # #[derive(DomainEvents, Debug)]
//! # pub enum OpsEvent { NodeStarted(Envelope<NodeStarted>) }
//! // src/bin/export-schemas.rs
//! fn main() -> std::process::ExitCode {
//!     let catalog = event_tools::Catalog::new("ops events", env!("CARGO_MANIFEST_DIR"))
//!         .with_domain::<OpsEvent>();
//!     event_tools::cli::main(&catalog)
//! }
//! ```
//!
//! and a test of the crate runs the gate: `event_tools::assert_snapshots(&catalog)`.
#![warn(missing_docs)]

pub mod alerts;
pub mod catalog;
pub mod cli;
mod cluster;
pub mod codegen;
pub mod dashboards;
pub mod export;
pub mod fs;
pub mod layout_report;
pub mod modular;
pub mod site;
pub mod snapshot;

pub use catalog::{Catalog, CatalogEvent};
pub use snapshot::assert_snapshots;
