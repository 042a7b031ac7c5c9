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
    let data = generator.subschema_for::<E>();
    let definitions = generator.into_definitions();
    let event_title = E::schema_name()
        .and_then(|name| definitions.get(name.as_ref()))
        .and_then(|schema| schema.as_object())
        .and_then(|object| object.title.clone());
    let mut envelope = envelope_schema(E::EVENT_TYPE, E::MAJOR_VERSION, data);
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
            "version": E::VERSION,
            "domain": E::DOMAIN,
            "topic": E::TOPIC,
        }),
    );
    Value::Object(document)
}
