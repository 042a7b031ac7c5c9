//! The export's modular documents: the envelope and the shared types as documents of their own
//! under `schemas/core/`, and each event's document referring to them with relative `$ref`s.
//!
//! Built from the events' self-contained documents ([`KafkaEvent::json_schema`], what the
//! snapshots store), so both forms describe exactly the same instances:
//! - `core/envelope.json`: the envelope without what is the event's own (its `event_type`
//!   constant, its major version, its `data`);
//! - `core/{Type}.json`: every definition that is part of the envelope (`Metadata`,
//!   `Priority`) or used by more than one event, with what it refers to;
//! - each event's document: `allOf` the envelope, its `event_type`, `version` and `data`, and
//!   the definitions only it uses.
//!
//! [`KafkaEvent::json_schema`]: event_core::KafkaEvent::json_schema

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use event_core::schema::DRAFT_07;

/// The folder of the core documents, relative to `schemas/`.
pub const CORE_FOLDER: &str = "core";

/// The envelope's file name in [`CORE_FOLDER`].
pub const ENVELOPE_FILE: &str = "envelope.json";

const LOCAL_PREFIX: &str = "#/definitions/";

/// The modular form of a catalog's documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Modular {
    /// The core documents by file name (`envelope.json`, `Metadata.json` …), sorted.
    pub core: Vec<(String, Value)>,
    /// Each event's modular document, in the order of the input.
    pub events: Vec<Value>,
}

/// The names of the definitions a schema refers to with `#/definitions/…`.
fn local_references(schema: &Value, found: &mut BTreeSet<String>) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => {
                        if let Some(name) = reference.strip_prefix(LOCAL_PREFIX) {
                            found.insert(name.to_owned());
                        }
                    }
                    _ => local_references(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| local_references(item, found)),
        _ => {}
    }
}

/// `schema` with each `#/definitions/X` of a core type `X` replaced by `{prefix}X.json`.
fn rewrite_references(schema: &Value, core: &BTreeSet<String>, prefix: &str) -> Value {
    match schema {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("$ref", Value::String(reference)) => {
                            match reference.strip_prefix(LOCAL_PREFIX) {
                                Some(name) if core.contains(name) => {
                                    Value::String(format!("{prefix}{name}.json"))
                                }
                                _ => value.clone(),
                            }
                        }
                        _ => rewrite_references(value, core, prefix),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| rewrite_references(item, core, prefix))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn definitions_of(document: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    document["definitions"]
        .as_object()
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// The envelope part of an event's document: every keyword of the root but its identity,
/// definitions and the event's own parts of `event_type`, `version` and `data`.
fn envelope_of(document: &Value) -> Map<String, Value> {
    let mut envelope = Map::new();
    envelope.insert("$schema".to_owned(), Value::String(DRAFT_07.to_owned()));
    envelope.insert("title".to_owned(), json!("Envelope"));
    envelope.insert(
        "description".to_owned(),
        json!("The envelope of every event; each event's document fixes its event_type, the major of its version and its data."),
    );
    for (key, value) in document.as_object().into_iter().flatten() {
        match key.as_str() {
            "$schema" | "title" | "description" | "definitions" | "x-kafka-event" => {}
            "properties" => {
                let mut properties = value.as_object().cloned().unwrap_or_default();
                if let Some(Value::Object(event_type)) = properties.get_mut("event_type") {
                    event_type.remove("const");
                }
                if let Some(Value::Object(version)) = properties.get_mut("version") {
                    version.insert(
                        "pattern".to_owned(),
                        json!(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"),
                    );
                }
                properties.insert(
                    "data".to_owned(),
                    json!({"description": "The event itself: its schema is in the event's document."}),
                );
                envelope.insert(key.clone(), Value::Object(properties));
            }
            _ => {
                envelope.insert(key.clone(), value.clone());
            }
        }
    }
    envelope
}

/// Splits `documents` (self-contained event documents, as [`KafkaEvent::json_schema`] writes
/// them) into core documents and modular event documents.
///
/// [`KafkaEvent::json_schema`]: event_core::KafkaEvent::json_schema
pub fn split(documents: &[Value]) -> Modular {
    let Some(first) = documents.first() else {
        return Modular {
            core: Vec::new(),
            events: Vec::new(),
        };
    };
    let envelope = envelope_of(first);
    // Core: what the envelope refers to, what two events use, and all they refer to.
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    let mut schemas: BTreeMap<&str, &Value> = BTreeMap::new();
    for document in documents {
        for (name, schema) in definitions_of(document) {
            *uses.entry(name.as_str()).or_default() += 1;
            schemas.entry(name.as_str()).or_insert(schema);
        }
    }
    let mut core = BTreeSet::new();
    local_references(&Value::Object(envelope.clone()), &mut core);
    core.extend(
        uses.iter()
            .filter(|(_, count)| **count > 1)
            .map(|(name, _)| (*name).to_owned()),
    );
    let mut pending: Vec<String> = core.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        let mut referred = BTreeSet::new();
        if let Some(schema) = schemas.get(name.as_str()) {
            local_references(schema, &mut referred);
        }
        for name in referred {
            if core.insert(name.clone()) {
                pending.push(name);
            }
        }
    }

    let mut core_documents = vec![(
        ENVELOPE_FILE.to_owned(),
        rewrite_references(&Value::Object(envelope), &core, ""),
    )];
    for name in &core {
        if let Some(schema) = schemas.get(name.as_str()) {
            let mut document = Map::new();
            document.insert("$schema".to_owned(), Value::String(DRAFT_07.to_owned()));
            if let Value::Object(object) = rewrite_references(schema, &core, "") {
                document.extend(object);
            }
            core_documents.push((format!("{name}.json"), Value::Object(document)));
        }
    }
    core_documents.sort_by(|a, b| a.0.cmp(&b.0));

    let prefix = format!("../{CORE_FOLDER}/");
    let events = documents
        .iter()
        .map(|document| {
            let mut modular = Map::new();
            modular.insert("$schema".to_owned(), Value::String(DRAFT_07.to_owned()));
            for key in ["title", "description"] {
                if let Some(value) = document.get(key) {
                    modular.insert(key.to_owned(), value.clone());
                }
            }
            modular.insert(
                "allOf".to_owned(),
                json!([{ "$ref": format!("{prefix}{ENVELOPE_FILE}") }]),
            );
            let properties: Map<String, Value> = ["event_type", "version", "data"]
                .iter()
                .filter_map(|key| {
                    let value = document["properties"].get(*key)?;
                    Some(((*key).to_owned(), rewrite_references(value, &core, &prefix)))
                })
                .collect();
            modular.insert("properties".to_owned(), Value::Object(properties));
            let own: Map<String, Value> = definitions_of(document)
                .iter()
                .filter(|(name, _)| !core.contains(name.as_str()))
                .map(|(name, schema)| (name.clone(), rewrite_references(schema, &core, &prefix)))
                .collect();
            if !own.is_empty() {
                modular.insert("definitions".to_owned(), Value::Object(own));
            }
            if let Some(identity) = document.get(event_core::document::EVENT_KEYWORD) {
                modular.insert(
                    event_core::document::EVENT_KEYWORD.to_owned(),
                    identity.clone(),
                );
            }
            Value::Object(modular)
        })
        .collect();
    Modular {
        core: core_documents,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(event_type: &str, data: &str, own: Value) -> Value {
        let mut definitions = json!({
            "Metadata": {"type": "object", "properties": {"priority": {"$ref": "#/definitions/Priority"}}},
            "Priority": {"type": "string", "enum": ["low", "high"]},
            "Vec3": {"type": "object", "properties": {"x": {"type": "number"}}},
        });
        definitions[data] = own;
        json!({
            "$schema": DRAFT_07,
            "title": event_type,
            "type": "object",
            "properties": {
                "event_type": {"type": "string", "const": event_type},
                "version": {"type": "string", "pattern": "^1\\."},
                "data": {"$ref": format!("#/definitions/{data}")},
                "metadata": {"$ref": "#/definitions/Metadata"},
            },
            "required": ["event_type", "version", "data", "metadata"],
            "additionalProperties": false,
            "definitions": definitions,
            "x-kafka-event": {"event_type": event_type},
        })
    }

    #[test]
    fn shared_and_envelope_types_go_to_core_and_own_types_stay() {
        let a = document(
            "a.b.c",
            "A",
            json!({"type": "object", "properties": {"at": {"$ref": "#/definitions/Vec3"}}}),
        );
        let b = document("a.b.d", "B", json!({"type": "object"}));
        let modular = split(&[a, b]);
        let names: Vec<&str> = modular.core.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Metadata.json",
                "Priority.json",
                "Vec3.json",
                "envelope.json"
            ]
        );
        let envelope = &modular.core[3].1;
        assert_eq!(envelope["properties"]["metadata"]["$ref"], "Metadata.json");
        assert!(envelope["properties"]["event_type"].get("const").is_none());
        assert_eq!(
            modular.core[0].1["properties"]["priority"]["$ref"],
            "Priority.json"
        );
        let event = &modular.events[0];
        assert_eq!(event["allOf"][0]["$ref"], "../core/envelope.json");
        assert_eq!(event["properties"]["event_type"]["const"], "a.b.c");
        assert_eq!(event["properties"]["data"]["$ref"], "#/definitions/A");
        assert_eq!(
            event["definitions"]["A"]["properties"]["at"]["$ref"],
            "../core/Vec3.json"
        );
        assert!(event["definitions"].get("Metadata").is_none());
        assert_eq!(event["x-kafka-event"]["event_type"], "a.b.c");
    }

    #[test]
    fn no_documents_give_nothing() {
        assert_eq!(split(&[]).core, Vec::new());
    }
}
