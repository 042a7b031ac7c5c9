//! What `export-schemas` writes: every file as a relative path and its JSON, built in memory
//! first, so a failure before writing leaves nothing behind.

use std::path::{Path, PathBuf};

use crate::fs::{to_json_bytes, write_atomic, FileError, WriteOutcome};
use event_core::access::{acl_bindings, Access, AclBinding};
use event_core::document::{bundle, BundleError};
use event_core::personal::PersonalPaths;
use event_core::topic::{TopicConfig, DEAD_LETTER_SUFFIX};
use serde_json::{json, Value};

use crate::catalog::{Catalog, CatalogEvent};
use crate::modular::{split, CORE_FOLDER};

/// The bundle's file name.
pub const BUNDLE_FILE: &str = "kafka-events-schema.json";

/// One file of the export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    /// Path relative to the output folder.
    pub path: PathBuf,
    /// The JSON written there.
    pub contents: Value,
}

/// Errors of the export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The catalog's schemas cannot be bundled.
    #[error("cannot build the bundle: {0}")]
    Bundle(#[from] BundleError),
    /// The output folder cannot be used.
    #[error("output folder `{}` cannot be created: its parent `{}` does not exist", path.display(), parent.display())]
    MissingParent {
        /// The output folder.
        path: PathBuf,
        /// Its missing parent.
        parent: PathBuf,
    },
    /// Writing failed.
    #[error(transparent)]
    File(#[from] FileError),
}

/// The relative path of an event's modular schema: `schemas/{folder}/{event_type}.json`, whose
/// `$ref`s name the documents of `schemas/core/` (the folder is the domain, or `domains` for a
/// cross-domain event).
pub fn schema_path(event: &CatalogEvent) -> PathBuf {
    event_path("schemas", event)
}

/// The relative path of an event's self-contained schema:
/// `self-contained/{folder}/{event_type}.json`, every definition inside (as the snapshots).
pub fn self_contained_path(event: &CatalogEvent) -> PathBuf {
    event_path("self-contained", event)
}

/// The relative path of an event's example: `examples/{folder}/{event_type}.json`.
pub fn example_path(event: &CatalogEvent) -> PathBuf {
    event_path("examples", event)
}

fn event_path(root: &str, event: &CatalogEvent) -> PathBuf {
    Path::new(root)
        .join(event.folder())
        .join(format!("{}.json", event.event_type()))
}

/// Every file of the export, in a fixed order.
pub fn export_files(catalog: &Catalog) -> Result<Vec<ExportFile>, ExportError> {
    let events = catalog.events();
    let documents: Vec<(String, Value)> = events
        .iter()
        .map(|event| {
            (
                event.event_type().to_owned(),
                (event.descriptor.json_schema)(),
            )
        })
        .collect();
    let bundled = bundle(catalog.title(), &documents)?;
    let self_contained: Vec<Value> = documents.iter().map(|(_, d)| d.clone()).collect();
    let modular = split(&self_contained);
    let mut files: Vec<ExportFile> = modular
        .core
        .into_iter()
        .map(|(name, contents)| ExportFile {
            path: Path::new("schemas").join(CORE_FOLDER).join(name),
            contents,
        })
        .collect();
    for ((event, document), modular) in events.iter().zip(self_contained).zip(modular.events) {
        files.push(ExportFile {
            path: schema_path(event),
            contents: modular,
        });
        files.push(ExportFile {
            path: self_contained_path(event),
            contents: document,
        });
        files.push(ExportFile {
            path: example_path(event),
            contents: (event.example_envelope)(),
        });
    }
    files.push(ExportFile {
        path: PathBuf::from(BUNDLE_FILE),
        contents: bundled,
    });
    files.extend(topic_files(events));
    files.extend(acl_files(events));
    Ok(files)
}

/// The configuration of every topic the catalog's events are published on, sorted by topic:
/// what `topics/*.json` holds and what `export-schemas --apply-topics` applies to a cluster.
pub fn topic_configs(events: &[CatalogEvent]) -> Vec<TopicConfig> {
    let mut configs: Vec<TopicConfig> = Vec::new();
    for event in events {
        let descriptor = &event.descriptor;
        let config = TopicConfig::new(&descriptor.topic_settings, descriptor.version.major());
        if !configs.iter().any(|known| known.topic == config.topic) {
            configs.push(config);
        }
    }
    configs.sort_by(|a, b| a.topic.cmp(&b.topic));
    configs
}

/// One file per topic: its Kafka configuration and the events it carries.
fn topic_files(events: &[CatalogEvent]) -> Vec<ExportFile> {
    topic_configs(events)
        .into_iter()
        .filter_map(|config| {
            let carried: Vec<&CatalogEvent> = events
                .iter()
                .filter(|event| event.descriptor.topic == config.topic)
                .collect();
            let first = carried.first()?.descriptor;
            let entries: Vec<Value> = carried
                .iter()
                .map(|event| {
                    let mut entry = json!({
                        "event_type": event.descriptor.event_type,
                        "version": event.descriptor.version.as_str(),
                        "schema": schema_path(event).to_string_lossy().replace('\\', "/"),
                    });
                    if let Some(field) = event.descriptor.key_field {
                        entry["key"] = json!(format!("/data/{field}"));
                    }
                    let personal = PersonalPaths::of_schema(&(event.descriptor.json_schema)());
                    if !personal.is_empty() {
                        entry["personal_data"] = json!({
                            "fields": personal.patterns(),
                            "data_subject": event.descriptor.data_subject.map_or_else(
                                || "/player_id".to_owned(),
                                |field| format!("/data/{field}"),
                            ),
                        });
                    }
                    entry
                })
                .collect();
            Some(ExportFile {
                path: Path::new("topics").join(format!("{}.json", config.topic)),
                contents: json!({
                    "topic": config.topic,
                    "domain": first.domain,
                    "partitions": config.partitions,
                    "replication_factor": config.replication_factor,
                    "priority": first.topic_settings.priority.as_str(),
                    "config": config.config_json(),
                    "events": entries,
                }),
            })
        })
        .collect()
}

/// Who may use one topic, from its domain's declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicAccess {
    /// The topic.
    pub topic: String,
    /// Its dead-letter topic (`<topic>.dlq`).
    pub dead_letter_topic: String,
    /// The services of each role.
    pub access: Access,
    /// The ACL bindings that grant exactly that.
    pub bindings: Vec<AclBinding>,
}

/// The access rules of every topic whose domain declares its services, sorted by topic, for
/// the topics named `<topic><suffix>` (`""`: what `acls/*.json` holds; `.staging`, a test's
/// own …).
pub fn topic_access(events: &[CatalogEvent], suffix: &str) -> Vec<TopicAccess> {
    topic_configs(events)
        .into_iter()
        .filter_map(|config| {
            let access = events
                .iter()
                .find(|event| event.descriptor.topic == config.topic)?
                .descriptor
                .topic_settings
                .access;
            if access.is_open() {
                return None;
            }
            let topic = format!("{}{suffix}", config.topic);
            let dead_letter_topic = format!("{topic}{DEAD_LETTER_SUFFIX}");
            let bindings = acl_bindings(&topic, &dead_letter_topic, &access);
            Some(TopicAccess {
                topic,
                dead_letter_topic,
                access,
                bindings,
            })
        })
        .collect()
}

/// Every binding of [`topic_access`], for the topics named `<topic><suffix>` (staging topics,
/// a test's own), sorted, each once (a service's group binding serves all its topics): what
/// `export-schemas --apply-acls --topic-suffix S` applies.
pub fn declared_bindings(events: &[CatalogEvent], suffix: &str) -> Vec<AclBinding> {
    let mut bindings: Vec<AclBinding> = topic_access(events, suffix)
        .into_iter()
        .flat_map(|rules| rules.bindings)
        .collect();
    bindings.sort();
    bindings.dedup();
    bindings
}

/// One file per topic whose domain declares its services: the topic, its dead-letter topic,
/// the services of each role and the ACL bindings that grant exactly that, with the names
/// and values of Kafka's Admin API.
fn acl_files(events: &[CatalogEvent]) -> Vec<ExportFile> {
    topic_access(events, "")
        .into_iter()
        .map(|rules| ExportFile {
            path: Path::new("acls").join(format!("{}.json", rules.topic)),
            contents: json!({
                "topic": rules.topic,
                "dead_letter_topic": rules.dead_letter_topic,
                "producers": rules.access.producers,
                "consumers": rules.access.consumers,
                "dead_letter_readers": rules.access.dead_letter_readers,
                "bindings": rules.bindings,
            }),
        })
        .collect()
}

/// What a write of the export did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files created or changed.
    pub written: usize,
    /// Files that already had the right content.
    pub unchanged: usize,
}

/// Writes generated source files under `out`, each atomically.
pub fn write_sources(
    out: &Path,
    files: &[crate::codegen::SourceFile],
) -> Result<WriteSummary, ExportError> {
    check_parent(out)?;
    let mut summary = WriteSummary::default();
    for file in files {
        match write_atomic(&out.join(&file.path), file.text.as_bytes())? {
            WriteOutcome::Written => summary.written += 1,
            WriteOutcome::Unchanged => summary.unchanged += 1,
        }
    }
    Ok(summary)
}

fn check_parent(out: &Path) -> Result<(), ExportError> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            return Err(ExportError::MissingParent {
                path: out.to_owned(),
                parent: parent.to_owned(),
            });
        }
    }
    Ok(())
}

/// Writes `files` under `out`, each atomically. `out` is created if its parent exists.
pub fn write_files(out: &Path, files: &[ExportFile]) -> Result<WriteSummary, ExportError> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            return Err(ExportError::MissingParent {
                path: out.to_owned(),
                parent: parent.to_owned(),
            });
        }
    }
    let mut summary = WriteSummary::default();
    for file in files {
        match write_atomic(&out.join(&file.path), &to_json_bytes(&file.contents))? {
            WriteOutcome::Written => summary.written += 1,
            WriteOutcome::Unchanged => summary.unchanged += 1,
        }
    }
    Ok(summary)
}
