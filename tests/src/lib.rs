//! Helpers shared by the integration tests in `tests/tests/`.

pub mod broker;
pub mod child;
pub mod fixture;
pub mod hostile;
pub mod kafka;

use serde_json::Value;

/// A Draft 7 validator of `schema` that also checks `format` (uuid, date-time …).
///
/// # Panics
/// When `schema` does not compile: a test helper, where that is the failure to report.
pub fn draft7_validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| panic!("schema does not compile: {error}\n{schema:#}"))
}

/// Every validation error of `instance`, as `pointer: message` lines (empty when valid).
pub fn errors_of(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|error| format!("{}: {}", error.instance_path(), error))
        .collect()
}

/// Whether `schema` is a valid Draft 7 schema, by the Draft 7 meta-schema.
pub fn is_valid_draft7_schema(schema: &Value) -> bool {
    jsonschema::draft7::meta::is_valid(schema)
}

/// A value that breaks a constraint the schema `property` declares, if it declares one.
pub fn violation(property: &Value) -> Option<Value> {
    if let Some(max) = property["maxLength"].as_u64() {
        return Some(Value::String("x".repeat(max as usize + 1)));
    }
    if let Some(max) = property["maximum"].as_f64() {
        return Some(serde_json::json!(max * 2.0 + 1.0));
    }
    if let Some(min) = property["minimum"].as_f64() {
        return Some(serde_json::json!(min - 1.0));
    }
    if property["pattern"].is_string() {
        return Some(serde_json::json!("!! not matching !!"));
    }
    if let Some(max) = property["maxItems"].as_u64() {
        return Some(Value::Array(vec![Value::Null; max as usize + 1]));
    }
    if property["minItems"].is_u64() {
        return Some(serde_json::json!([]));
    }
    None
}

/// The data definition of an event's document.
pub fn data_definition(document: &Value) -> &Value {
    let reference = document["properties"]["data"]["$ref"]
        .as_str()
        .unwrap_or_default();
    &document["definitions"][reference.trim_start_matches("#/definitions/")]
}
