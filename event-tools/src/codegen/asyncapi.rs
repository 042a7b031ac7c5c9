//! An AsyncAPI 3.0 document of the whole catalog: a channel per topic with its Kafka bindings,
//! a message per event whose payload is the event's Draft 7 schema and whose headers are the
//! record headers of `event_core::codec`, and a send and a receive operation per channel.
//! Where a domain declares its services, the channel names them (`x-producers`,
//! `x-consumers`, `x-dead-letter-readers`), the send operation's Kafka binding names the
//! client ids that may send and the receive operation's the consumer groups that may
//! receive (a group name starts with its service's name), and both require the `mtls`
//! security scheme (X.509 client certificates, the common name being the service).

use serde_json::{json, Map, Value};

use event_core::access::Access;
use event_core::codec::{BINARY_CONTENT_TYPE, CONTENT_TYPE};
use event_core::topic::TopicConfig;

use super::model::{pascal, CodeModel};
use crate::catalog::CatalogEvent;

/// The `schemaFormat` of Draft 7 payloads.
pub const DRAFT_07_FORMAT: &str = "application/schema+json;version=draft-07";

/// Rewrites `#/definitions/X` references to `#/components/schemas/X`, where the document
/// keeps the shared definitions.
fn relocate(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| *key != "definitions" && *key != "$schema")
                .map(|(key, v)| {
                    let v = match (key.as_str(), v) {
                        ("$ref", Value::String(r)) => {
                            Value::String(r.replace("#/definitions/", "#/components/schemas/"))
                        }
                        _ => relocate(v),
                    };
                    (key.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(relocate).collect()),
        other => other.clone(),
    }
}

fn headers_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "event_type": {"type": "string", "description": "The event's name, domain.entity.action (also the value's `event_type`); left out of JSON records by a producer without headers, whose consumers read the value's."},
            "event_version": {"type": "string", "description": "The schema version (also the value's `version`); left out by a producer with lean headers."},
            "content-type": {"type": "string", "enum": [CONTENT_TYPE, BINARY_CONTENT_TYPE], "description": "The value's format; without it, application/json (a producer with lean headers writes it on binary records only, which Rust consumers read)."},
            "correlation_id": {"type": "string", "format": "uuid", "description": "Id of the flow that caused the event (also the value's `correlation_id`); left out by a producer with lean headers."},
            "ce_specversion": {"type": "string", "description": "CloudEvents binding (optional)."},
            "ce_id": {"type": "string"},
            "ce_source": {"type": "string"},
            "ce_type": {"type": "string"},
            "ce_time": {"type": "string", "format": "date-time"}
        }
    })
}

/// The document.
pub fn document(catalog: &CodeModel, events: &[CatalogEvent]) -> Value {
    let mut schemas = Map::new();
    for (_, document) in &catalog.documents {
        if let Some(Value::Object(definitions)) = document.get("definitions") {
            for (name, schema) in definitions {
                schemas
                    .entry(name.clone())
                    .or_insert_with(|| relocate(schema));
            }
        }
    }
    let mut messages = Map::new();
    let mut channels = Map::new();
    let mut operations = Map::new();
    let mut access_of: Map<String, Value> = Map::new();
    for (event, (_, document)) in events.iter().zip(&catalog.documents) {
        let descriptor = &event.descriptor;
        messages.insert(
            descriptor.event_type.to_owned(),
            json!({
                "name": descriptor.event_type,
                "title": pascal(descriptor.event_type),
                "summary": document["description"].as_str().unwrap_or_default(),
                "contentType": "application/json",
                "headers": headers_schema(),
                "payload": {"schemaFormat": DRAFT_07_FORMAT, "schema": relocate(document)},
                "examples": [{"name": "example", "payload": (event.example_envelope)()}],
            }),
        );
        let config = TopicConfig::new(&descriptor.topic_settings, descriptor.version.major());
        let channel = channels.entry(config.topic.clone()).or_insert_with(|| {
            let retention: u64 = config.get("retention.ms").and_then(|v| v.parse().ok()).unwrap_or_default();
            json!({
                "address": config.topic,
                "description": format!("Events of the {} domain.", descriptor.domain),
                "messages": {},
                "bindings": {"kafka": {
                    "bindingVersion": "0.5.0",
                    "topic": config.topic,
                    "partitions": config.partitions,
                    "replicas": config.replication_factor,
                    "topicConfiguration": {
                        "cleanup.policy": ["delete"],
                        "retention.ms": retention,
                        "max.message.bytes": config.get("max.message.bytes").and_then(|v| v.parse::<u64>().ok()).unwrap_or_default(),
                    }
                }}
            })
        });
        let access = descriptor.topic_settings.access;
        if !access.is_open() {
            channel["x-producers"] = json!(access.producers);
            channel["x-consumers"] = json!(access.consumers);
            channel["x-dead-letter-readers"] = json!(access.dead_letter_readers);
            access_of.insert(config.topic.clone(), operation_access(&access));
        }
        channel["messages"][descriptor.event_type] =
            json!({"$ref": format!("#/components/messages/{}", descriptor.event_type)});
    }
    for (topic, channel) in &channels {
        let refs: Vec<Value> = channel["messages"]
            .as_object()
            .map(|m| {
                m.keys()
                    .map(|name| json!({"$ref": format!("#/channels/{topic}/messages/{name}")}))
                    .collect()
            })
            .unwrap_or_default();
        let id = pascal(topic);
        for (action, verb) in [("send", "publish"), ("receive", "consume")] {
            let mut operation = json!({"action": action, "channel": {"$ref": format!("#/channels/{topic}")}, "messages": refs});
            if let Some(access) = access_of.get(topic) {
                operation["security"] = json!([{"$ref": "#/components/securitySchemes/mtls"}]);
                operation["bindings"] = access[action].clone();
            }
            operations.insert(format!("{verb}{id}"), operation);
        }
    }
    json!({
        "asyncapi": "3.0.0",
        "info": {
            "title": catalog.title,
            "version": "1.0.0",
            "description": "Every event of the game's backend, its topic and its schema. Generated by `cargo run --bin export-schemas`; do not edit."
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": schemas,
            "messages": messages,
            "securitySchemes": {"mtls": {
                "type": "X509",
                "description": "Mutual TLS: each service presents a client certificate whose common name is its service name, the principal `User:<service>` the topics' ACLs name."
            }}
        }
    })
}

/// The Kafka operation bindings of a declared domain: who may send (client ids) and receive
/// (consumer groups, named after their service).
fn operation_access(access: &Access) -> Value {
    let alternatives = |services: &[&str]| {
        services
            .iter()
            .map(|service| regex_escape(service))
            .collect::<Vec<_>>()
            .join("|")
    };
    // No service in a role: no value is allowed.
    let client_id = if access.producers.is_empty() {
        json!({"not": {}})
    } else {
        json!({"type": "string", "enum": access.producers})
    };
    let group_id = if access.consumers.is_empty() {
        json!({"not": {}})
    } else {
        json!({"type": "string", "pattern": format!("^({})", alternatives(access.consumers))})
    };
    json!({
        "send": {"kafka": {"bindingVersion": "0.5.0", "clientId": client_id}},
        "receive": {"kafka": {"bindingVersion": "0.5.0", "groupId": group_id}},
    })
}

/// `text` with the regular-expression metacharacters a service name can hold escaped.
fn regex_escape(text: &str) -> String {
    text.replace('.', "\\.")
}
