//! Where the personal data of an event is: the paths of the fields its schema tags `PII`,
//! found once per event type, and the JSON pointers they reach in one value.

use serde_json::Value;

use super::{PII_TAG, TAGS_KEYWORD};
use crate::validate::escape_segment;

/// One step of a path through a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    /// The property of this name.
    Key(String),
    /// Every item of an array.
    Items,
    /// The item at this position of a tuple array.
    Index(usize),
    /// Every value of a map (`additionalProperties`).
    Values,
}

/// A tagged field: the path to it from the root of the envelope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonalField {
    steps: Vec<Step>,
}

/// The personal-data fields of an event, read from its envelope schema: every property whose
/// schema carries `"confluent:tags": ["PII"]`, through `$ref`s, arrays, maps and the branches
/// of `anyOf`/`oneOf`/`allOf` (a recursive type is followed four levels deep).
///
/// ```
/// use event_core::personal::PersonalPaths;
/// let schema = serde_json::json!({
///     "properties": {"data": {"$ref": "#/definitions/Chat"}},
///     "definitions": {"Chat": {"properties": {
///         "text": {"type": "string", "confluent:tags": ["PII"]},
///         "replies": {"type": "array", "items": {"$ref": "#/definitions/Chat"}}
///     }}}
/// });
/// let paths = PersonalPaths::of_schema(&schema);
/// let value = serde_json::json!({"data": {"text": "hi", "replies": [{"text": "yo", "replies": []}]}});
/// assert_eq!(paths.locate(&value), ["/data/text", "/data/replies/0/text"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalPaths {
    fields: Vec<PersonalField>,
}

/// How deep the schema walk goes: deeper schemas are not what the derive writes.
const MAX_DEPTH: usize = 64;

/// How many times one `$ref` is followed inside itself: personal data nested deeper in a
/// recursive type is not found (and not encrypted).
pub const MAX_RECURSION: usize = 4;

impl PersonalPaths {
    /// The tagged fields of `document`, a schema whose `$ref`s point into its own
    /// `definitions` (as [`KafkaEvent::json_schema`](crate::KafkaEvent::json_schema) writes).
    pub fn of_schema(document: &Value) -> Self {
        let mut walk = Walk {
            document,
            chain: Vec::new(),
            found: Vec::new(),
        };
        walk.schema(document, &mut Vec::new());
        PersonalPaths { fields: walk.found }
    }

    /// Whether the event has no personal data.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// How many tagged fields the schema has (an array's items count once).
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Each tagged field as a JSON pointer with `*` for every item of an array or value of a
    /// map (`/data/replies/*/text`), in schema order: what the export lists.
    pub fn patterns(&self) -> Vec<String> {
        self.fields
            .iter()
            .map(|field| {
                field
                    .steps
                    .iter()
                    .map(|step| match step {
                        Step::Key(key) => format!("/{}", escape_segment(key)),
                        Step::Index(index) => format!("/{index}"),
                        Step::Items | Step::Values => "/*".to_owned(),
                    })
                    .collect()
            })
            .collect()
    }

    /// The JSON pointers of the tagged values present in `value` (absent and `null` ones left
    /// out), in schema order.
    pub fn locate(&self, value: &Value) -> Vec<String> {
        let mut pointers = Vec::new();
        for field in &self.fields {
            reach(value, &field.steps, &mut String::new(), &mut pointers);
        }
        pointers.dedup();
        pointers
    }
}

fn reach(value: &Value, steps: &[Step], pointer: &mut String, out: &mut Vec<String>) {
    let Some((step, rest)) = steps.split_first() else {
        if !value.is_null() && !out.contains(pointer) {
            out.push(pointer.clone());
        }
        return;
    };
    let mut descend = |segment: &str, child: &Value, out: &mut Vec<String>| {
        let length = pointer.len();
        pointer.push('/');
        pointer.push_str(&escape_segment(segment));
        reach(child, rest, pointer, out);
        pointer.truncate(length);
    };
    match (step, value) {
        (Step::Key(key), Value::Object(map)) => {
            if let Some(child) = map.get(key) {
                descend(key, child, out);
            }
        }
        (Step::Items, Value::Array(items)) => {
            for (index, child) in items.iter().enumerate() {
                descend(&index.to_string(), child, out);
            }
        }
        (Step::Index(index), Value::Array(items)) => {
            if let Some(child) = items.get(*index) {
                descend(&index.to_string(), child, out);
            }
        }
        (Step::Values, Value::Object(map)) => {
            for (key, child) in map {
                descend(key, child, out);
            }
        }
        _ => {}
    }
}

struct Walk<'a> {
    document: &'a Value,
    /// The `$ref`s being followed, to bound a recursive type.
    chain: Vec<&'a str>,
    found: Vec<PersonalField>,
}

impl<'a> Walk<'a> {
    fn schema(&mut self, schema: &'a Value, steps: &mut Vec<Step>) {
        let Value::Object(object) = schema else {
            return;
        };
        if steps.len() > MAX_DEPTH {
            return;
        }
        if is_tagged(object.get(TAGS_KEYWORD)) {
            let field = PersonalField {
                steps: steps.clone(),
            };
            if !self.found.contains(&field) {
                self.found.push(field);
            }
            return;
        }
        if let Some(Value::String(reference)) = object.get("$ref") {
            let depth = self.chain.iter().filter(|r| **r == reference).count();
            if depth < MAX_RECURSION {
                if let Some(target) = self.resolve(reference) {
                    self.chain.push(reference);
                    self.schema(target, steps);
                    self.chain.pop();
                }
            }
        }
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (name, property) in properties {
                self.step(Step::Key(name.clone()), property, steps);
            }
        }
        match object.get("items") {
            Some(Value::Array(tuple)) => {
                for (index, item) in tuple.iter().enumerate() {
                    self.step(Step::Index(index), item, steps);
                }
            }
            Some(items) => self.step(Step::Items, items, steps),
            None => {}
        }
        if let Some(values) = object.get("additionalProperties") {
            self.step(Step::Values, values, steps);
        }
        for branches in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = object.get(branches) {
                for branch in branches {
                    self.schema(branch, steps);
                }
            }
        }
    }

    fn step(&mut self, step: Step, schema: &'a Value, steps: &mut Vec<Step>) {
        steps.push(step);
        self.schema(schema, steps);
        steps.pop();
    }

    /// The schema `#/definitions/Name` (or any local JSON pointer) refers to.
    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        self.document.pointer(reference.strip_prefix('#')?)
    }
}

fn is_tagged(tags: Option<&Value>) -> bool {
    matches!(tags, Some(Value::Array(tags)) if tags.iter().any(|tag| tag == PII_TAG))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_tuples_and_nullable_branches_are_followed() {
        let tagged = json!({"type": "string", "confluent:tags": ["PII"]});
        let schema = json!({"properties": {
            "notes": {"type": "object", "additionalProperties": tagged},
            "pair": {"type": "array", "items": [{"type": "integer"}, tagged]},
            "maybe": {"anyOf": [tagged, {"type": "null"}]}
        }});
        let paths = PersonalPaths::of_schema(&schema);
        assert_eq!(paths.len(), 3);
        let value = json!({"notes": {"a/b": "x", "c": "y"}, "pair": [1, "z"], "maybe": null});
        assert_eq!(paths.locate(&value), ["/notes/a~1b", "/notes/c", "/pair/1"]);
    }

    #[test]
    fn untagged_and_other_tags_are_not_personal() {
        let schema = json!({"properties": {
            "a": {"type": "string", "confluent:tags": ["PUBLIC"]},
            "b": {"type": "string"},
            "c": {"$ref": "#/definitions/Missing"}
        }});
        assert!(PersonalPaths::of_schema(&schema).is_empty());
    }
}
