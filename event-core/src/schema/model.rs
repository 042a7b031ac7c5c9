//! The typed JSON Schema (Draft 7) model that every generated schema is built from.
//!
//! Schemas are composed as data (as schemars does), never pasted together as strings. The model
//! covers the Draft 7 keywords that kafka-events emits; [`Schema::to_value`] writes them in one
//! fixed keyword order so the same model always gives byte-identical JSON.

use serde_json::{Map, Number, Value};

/// A JSON Schema: either a boolean schema (`true` accepts anything, `false` nothing) or an
/// object schema with keywords.
#[derive(Debug, Clone, PartialEq)]
pub enum Schema {
    /// The boolean schema `true` or `false`.
    Bool(bool),
    /// A schema object with keywords.
    Object(Box<SchemaObject>),
}

/// The primitive types of JSON Schema's `type` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceType {
    /// `null`
    Null,
    /// `boolean`
    Boolean,
    /// `object`
    Object,
    /// `array`
    Array,
    /// `number`
    Number,
    /// `string`
    String,
    /// `integer`
    Integer,
}

impl InstanceType {
    /// The keyword value, e.g. `"integer"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            InstanceType::Null => "null",
            InstanceType::Boolean => "boolean",
            InstanceType::Object => "object",
            InstanceType::Array => "array",
            InstanceType::Number => "number",
            InstanceType::String => "string",
            InstanceType::Integer => "integer",
        }
    }
}

/// `items`: one schema for every element, or one schema per position (tuple form).
#[derive(Debug, Clone, PartialEq)]
pub enum Items {
    /// Every element is valid against this schema.
    All(Schema),
    /// Element `i` is valid against schema `i`.
    Tuple(Vec<Schema>),
}

/// A schema object. Every field is one Draft 7 keyword; `None`/empty means "not present".
///
/// `properties` is a list, not a map, because its order is meaningful here: it is the memory
/// layout order of the fields (see [`crate::layout`]).
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)] // each field is the JSON Schema keyword of the same name
pub struct SchemaObject {
    pub reference: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub types: Vec<InstanceType>,
    pub format: Option<String>,
    pub constant: Option<Value>,
    pub enum_values: Option<Vec<Value>>,
    pub default: Option<Value>,
    pub examples: Vec<Value>,
    pub deprecated: bool,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    pub multiple_of: Option<Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub items: Option<Box<Items>>,
    pub additional_items: Option<Schema>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub properties: Vec<(String, Schema)>,
    pub required: Vec<String>,
    pub additional_properties: Option<Schema>,
    pub property_names: Option<Schema>,
    pub all_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub one_of: Vec<Schema>,
    pub not: Option<Schema>,
    /// Extension keywords (`x-…`) and anything else, written last in this order.
    pub extensions: Vec<(String, Value)>,
}

impl Default for Schema {
    fn default() -> Self {
        Schema::Bool(true)
    }
}

impl From<SchemaObject> for Schema {
    fn from(object: SchemaObject) -> Self {
        Schema::Object(Box::new(object))
    }
}

impl Schema {
    /// A schema accepting exactly the given primitive type.
    ///
    /// ```
    /// use event_core::schema::{InstanceType, Schema};
    /// let schema = Schema::of_type(InstanceType::Boolean);
    /// assert_eq!(schema.to_value(), serde_json::json!({ "type": "boolean" }));
    /// ```
    pub fn of_type(instance_type: InstanceType) -> Self {
        SchemaObject {
            types: vec![instance_type],
            ..SchemaObject::default()
        }
        .into()
    }

    /// A `$ref` to a definition of the current document, e.g. `#/definitions/Position`.
    pub fn reference(definition: &str) -> Self {
        SchemaObject {
            reference: Some(format!("#/definitions/{definition}")),
            ..SchemaObject::default()
        }
        .into()
    }

    /// The schema object, turning a boolean schema into the equivalent object first
    /// (`true` → `{}`, `false` → `{"not": {}}`).
    pub fn object_mut(&mut self) -> &mut SchemaObject {
        if let Schema::Bool(accepts) = *self {
            let object = if accepts {
                SchemaObject::default()
            } else {
                SchemaObject {
                    not: Some(Schema::Bool(true)),
                    ..SchemaObject::default()
                }
            };
            *self = object.into();
        }
        match self {
            Schema::Object(object) => object,
            Schema::Bool(_) => unreachable!("converted to an object above"),
        }
    }

    /// The schema object, if this is not a boolean schema.
    pub fn as_object(&self) -> Option<&SchemaObject> {
        match self {
            Schema::Object(object) => Some(object),
            Schema::Bool(_) => None,
        }
    }

    /// Whether this schema is a bare `$ref` (no other keyword), whose siblings Draft 7 ignores.
    pub fn is_bare_reference(&self) -> bool {
        self.as_object().is_some_and(|object| {
            object.reference.is_some()
                && SchemaObject {
                    reference: None,
                    ..(*object).clone()
                } == SchemaObject::default()
        })
    }

    /// Makes a schema to which keywords can be added without Draft 7 ignoring them: a bare
    /// `$ref` becomes `{"allOf": [{"$ref": …}]}`, anything else is returned as it is.
    pub fn into_extensible(self) -> Self {
        if self.is_bare_reference() {
            SchemaObject {
                all_of: vec![self],
                ..SchemaObject::default()
            }
            .into()
        } else {
            self
        }
    }

    /// The same schema, also accepting `null` (how serde writes `None`).
    ///
    /// A schema with a plain `type` gets `"null"` added to it (and to its `enum`, if any);
    /// anything else becomes `{"anyOf": [schema, {"type": "null"}]}`.
    pub fn nullable(self) -> Self {
        if let Schema::Object(object) = &self {
            let simple = !object.types.is_empty()
                && object.reference.is_none()
                && object.all_of.is_empty()
                && object.any_of.is_empty()
                && object.one_of.is_empty()
                && object.constant.is_none();
            if simple {
                let mut object = object.clone();
                if !object.types.contains(&InstanceType::Null) {
                    object.types.push(InstanceType::Null);
                }
                if let Some(values) = &mut object.enum_values {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
                return Schema::Object(object);
            }
        }
        if matches!(self, Schema::Bool(true)) {
            return self;
        }
        SchemaObject {
            any_of: vec![self, Schema::of_type(InstanceType::Null)],
            ..SchemaObject::default()
        }
        .into()
    }

    /// Writes the schema as JSON, keywords in a fixed order and properties in model order.
    pub fn to_value(&self) -> Value {
        match self {
            Schema::Bool(accepts) => Value::Bool(*accepts),
            Schema::Object(object) => Value::Object(object.to_map()),
        }
    }
}

impl SchemaObject {
    /// Writes the keywords as a JSON object in the fixed keyword order used by every document.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        let mut put = |key: &str, value: Value| {
            map.insert(key.to_owned(), value);
        };
        if let Some(reference) = &self.reference {
            put("$ref", Value::String(reference.clone()));
        }
        if let Some(title) = &self.title {
            put("title", Value::String(title.clone()));
        }
        if let Some(description) = &self.description {
            put("description", Value::String(description.clone()));
        }
        match self.types.as_slice() {
            [] => {}
            [single] => put("type", Value::String(single.as_str().to_owned())),
            several => put(
                "type",
                Value::Array(
                    several
                        .iter()
                        .map(|t| Value::String(t.as_str().to_owned()))
                        .collect(),
                ),
            ),
        }
        if let Some(format) = &self.format {
            put("format", Value::String(format.clone()));
        }
        if let Some(constant) = &self.constant {
            put("const", constant.clone());
        }
        if let Some(values) = &self.enum_values {
            put("enum", Value::Array(values.clone()));
        }
        let numbers = [
            ("minimum", &self.minimum),
            ("maximum", &self.maximum),
            ("exclusiveMinimum", &self.exclusive_minimum),
            ("exclusiveMaximum", &self.exclusive_maximum),
            ("multipleOf", &self.multiple_of),
        ];
        for (key, number) in numbers {
            if let Some(number) = number {
                put(key, Value::Number(number.clone()));
            }
        }
        for (key, count) in [
            ("minLength", self.min_length),
            ("maxLength", self.max_length),
        ] {
            if let Some(count) = count {
                put(key, Value::from(count));
            }
        }
        if let Some(pattern) = &self.pattern {
            put("pattern", Value::String(pattern.clone()));
        }
        match self.items.as_deref() {
            None => {}
            Some(Items::All(schema)) => put("items", schema.to_value()),
            Some(Items::Tuple(schemas)) => put(
                "items",
                Value::Array(schemas.iter().map(Schema::to_value).collect()),
            ),
        }
        if let Some(schema) = &self.additional_items {
            put("additionalItems", schema.to_value());
        }
        for (key, count) in [("minItems", self.min_items), ("maxItems", self.max_items)] {
            if let Some(count) = count {
                put(key, Value::from(count));
            }
        }
        if self.unique_items {
            put("uniqueItems", Value::Bool(true));
        }
        if !self.properties.is_empty() {
            let properties = self
                .properties
                .iter()
                .map(|(name, schema)| (name.clone(), schema.to_value()))
                .collect();
            put("properties", Value::Object(properties));
        }
        if !self.required.is_empty() {
            put(
                "required",
                Value::Array(self.required.iter().cloned().map(Value::String).collect()),
            );
        }
        if let Some(schema) = &self.additional_properties {
            put("additionalProperties", schema.to_value());
        }
        if let Some(schema) = &self.property_names {
            put("propertyNames", schema.to_value());
        }
        for (key, schemas) in [
            ("allOf", &self.all_of),
            ("anyOf", &self.any_of),
            ("oneOf", &self.one_of),
        ] {
            if !schemas.is_empty() {
                put(
                    key,
                    Value::Array(schemas.iter().map(Schema::to_value).collect()),
                );
            }
        }
        if let Some(schema) = &self.not {
            put("not", schema.to_value());
        }
        if let Some(default) = &self.default {
            put("default", default.clone());
        }
        if !self.examples.is_empty() {
            put("examples", Value::Array(self.examples.clone()));
        }
        if self.deprecated {
            put("deprecated", Value::Bool(true));
        }
        for (key, value) in &self.extensions {
            put(key, value.clone());
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keywords_are_written_in_fixed_order_and_properties_in_model_order() {
        let schema: Schema = SchemaObject {
            types: vec![InstanceType::Object],
            properties: vec![
                ("zeta".into(), Schema::of_type(InstanceType::String)),
                ("alpha".into(), Schema::of_type(InstanceType::Boolean)),
            ],
            required: vec!["zeta".into()],
            title: Some("T".into()),
            ..SchemaObject::default()
        }
        .into();
        let text = serde_json::to_string(&schema.to_value()).unwrap();
        assert_eq!(
            text,
            r#"{"title":"T","type":"object","properties":{"zeta":{"type":"string"},"alpha":{"type":"boolean"}},"required":["zeta"]}"#
        );
    }

    #[test]
    fn nullable_adds_null_to_simple_types_and_enums() {
        let schema: Schema = SchemaObject {
            types: vec![InstanceType::String],
            enum_values: Some(vec![json!("a")]),
            ..SchemaObject::default()
        }
        .into();
        assert_eq!(
            schema.nullable().to_value(),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
    }

    #[test]
    fn nullable_wraps_references_in_any_of() {
        assert_eq!(
            Schema::reference("P").nullable().to_value(),
            json!({"anyOf": [{"$ref": "#/definitions/P"}, {"type": "null"}]})
        );
    }

    #[test]
    fn a_bare_reference_is_wrapped_before_keywords_are_added() {
        let wrapped = Schema::reference("P").into_extensible();
        assert_eq!(
            wrapped.to_value(),
            json!({"allOf": [{"$ref": "#/definitions/P"}]})
        );
        let plain = Schema::of_type(InstanceType::String);
        assert_eq!(plain.clone().into_extensible(), plain);
    }
}
