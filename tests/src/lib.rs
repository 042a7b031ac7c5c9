//! Helpers shared by the integration tests in `tests/tests/`.

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
