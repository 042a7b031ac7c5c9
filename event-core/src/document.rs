//! Complete JSON Schema documents: the envelope of one event, with its definitions.

use serde_json::{Map, Value};

use crate::envelope::envelope_schema;
use crate::schema::{SchemaGenerator, DRAFT_07};
use crate::KafkaEvent;

/// The extension keyword carrying an event's identity in its document.
pub const EVENT_KEYWORD: &str = "x-kafka-event";

/// The Draft 7 document of the envelope of `E` (what [`KafkaEvent::json_schema`] returns).
pub fn event_document<E: KafkaEvent>() -> Value {
    let mut generator = SchemaGenerator::default();
    let mut envelope = envelope_schema::<E>(&mut generator);
    let definitions = generator.into_definitions();
    let event_title = E::schema_name()
        .and_then(|name| definitions.get(name.as_ref()))
        .and_then(|schema| schema.as_object())
        .and_then(|object| object.title.clone());
    envelope.title = Some(E::EVENT_TYPE.to_owned());
    envelope.description = event_title;

    let mut document = Map::new();
    document.insert("$schema".to_owned(), Value::String(DRAFT_07.to_owned()));
    document.extend(envelope.to_map());
    document.insert(
        "definitions".to_owned(),
        Value::Object(
            definitions
                .iter()
                .map(|(name, schema)| (name.clone(), schema.to_value()))
                .collect(),
        ),
    );
    document.insert(
        EVENT_KEYWORD.to_owned(),
        serde_json::json!({
            "event_type": E::EVENT_TYPE,
            "version": E::VERSION.as_str(),
            "domain": E::DOMAIN,
            "topic": E::TOPIC,
        }),
    );
    Value::Object(document)
}

/// Why documents could not be bundled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// Two documents define the same name differently.
    #[error("definition `{name}` differs between `{first}` and `{second}`: give one of the two types another name")]
    ConflictingDefinition {
        /// The definition name.
        name: String,
        /// The document that defined it first.
        first: String,
        /// The document that defined it differently.
        second: String,
    },
    /// A document is not a JSON object.
    #[error("document `{0}` is not a JSON object")]
    NotAnObject(String),
}

/// One document that accepts an instance of any of `documents` (each named by its key):
/// every document goes under `definitions` by its name, their own definitions are merged into
/// the bundle's (shared types are written once), and a top-level `oneOf` refers to each.
///
/// ```
/// use serde_json::json;
/// let a = json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
///                "properties": {"p": {"$ref": "#/definitions/P"}}, "definitions": {"P": {"type": "integer"}}});
/// let bundle = event_core::document::bundle("all", &[("a.b.c".into(), a)]).unwrap();
/// assert_eq!(bundle["oneOf"], json!([{"$ref": "#/definitions/a.b.c"}]));
/// assert_eq!(bundle["definitions"]["P"], json!({"type": "integer"}));
/// assert!(bundle["definitions"]["a.b.c"].get("definitions").is_none());
/// ```
pub fn bundle(title: &str, documents: &[(String, Value)]) -> Result<Value, BundleError> {
    let mut shared: Vec<(String, Value, String)> = Vec::new();
    let mut events = Map::new();
    for (name, document) in documents {
        let Value::Object(document) = document else {
            return Err(BundleError::NotAnObject(name.clone()));
        };
        let mut document = document.clone();
        document.remove("$schema");
        if let Some(Value::Object(definitions)) = document.remove("definitions") {
            for (definition, schema) in definitions {
                match shared.iter().find(|(known, _, _)| *known == definition) {
                    Some((_, known, first)) if *known != schema => {
                        return Err(BundleError::ConflictingDefinition {
                            name: definition,
                            first: first.clone(),
                            second: name.clone(),
                        })
                    }
                    Some(_) => {}
                    None => shared.push((definition, schema, name.clone())),
                }
            }
        }
        events.insert(name.clone(), Value::Object(document));
    }
    shared.sort_by(|a, b| a.0.cmp(&b.0));
    let one_of = events
        .keys()
        .map(|name| serde_json::json!({ "$ref": format!("#/definitions/{name}") }))
        .collect();
    let mut definitions: Map<String, Value> = shared
        .into_iter()
        .map(|(name, schema, _)| (name, schema))
        .collect();
    definitions.extend(events);
    let mut bundle = Map::new();
    bundle.insert("$schema".to_owned(), Value::String(DRAFT_07.to_owned()));
    bundle.insert("title".to_owned(), Value::String(title.to_owned()));
    bundle.insert("oneOf".to_owned(), Value::Array(one_of));
    bundle.insert("definitions".to_owned(), Value::Object(definitions));
    Ok(Value::Object(bundle))
}
