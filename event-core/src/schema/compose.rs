//! Building blocks the derive composes schemas from: records (structs and struct variants)
//! and enums in each of serde's representations. All representation logic lives here, as plain
//! functions, so it is unit-tested without macros.

use serde_json::Value;

use super::{InstanceType, Items, Schema, SchemaObject};

/// The extension keyword that records the layout order of an object's properties, so a
/// consumer need not trust the key order of `properties`.
pub const LAYOUT_ORDER_KEYWORD: &str = "x-layout-order";

/// `schema` with a `description`, wrapping a bare `$ref` first so the description is kept.
pub fn describe(schema: Schema, description: &str) -> Schema {
    let mut schema = schema.into_extensible();
    schema.object_mut().description = Some(description.to_owned());
    schema
}

/// `schema` with a `title` and a `description` from a doc comment: the first line is the
/// title, the whole text the description.
pub fn document(schema: Schema, doc: &str) -> Schema {
    let doc = doc.trim();
    if doc.is_empty() {
        return schema;
    }
    let mut schema = schema.into_extensible();
    let object = schema.object_mut();
    object.title = doc.lines().next().map(|line| line.trim().to_owned());
    object.description = Some(doc.to_owned());
    schema
}

enum Entry {
    Field {
        name: String,
        schema: Schema,
        required: bool,
    },
    Flatten(Schema),
}

/// The object schema of a record: a struct with named fields, or a struct variant.
///
/// Fields are added by declaration index and written in the layout order given to
/// [`build`](Self::build); skipped fields are simply never added.
///
/// Records are **closed** (`additionalProperties: false`): the event contract is the declared
/// fields. This is the content model under which Confluent's rules enforce additive-only
/// evolution (an optional field added passes, a field removed or a required one added fails);
/// with an open model a removed field would pass unnoticed. serde's readers stay lenient (they
/// ignore unknown fields), so an old consumer keeps reading newer events. A flattened map opens
/// the record to its value schema.
///
/// ```
/// use event_core::schema::{InstanceType, RecordSchema, Schema};
/// let mut record = RecordSchema::new(2);
/// record.field(0, "ok", Schema::of_type(InstanceType::Boolean), true);
/// record.field(1, "name", Schema::of_type(InstanceType::String), false);
/// let schema = record.build(&[1, 0]).to_value();
/// assert_eq!(schema["required"], serde_json::json!(["ok"]));
/// assert_eq!(schema["x-layout-order"], serde_json::json!(["name", "ok"]));
/// ```
pub struct RecordSchema {
    entries: Vec<Option<Entry>>,
}

impl RecordSchema {
    /// A record with room for `field_count` declared fields.
    pub fn new(field_count: usize) -> Self {
        RecordSchema {
            entries: (0..field_count).map(|_| None).collect(),
        }
    }

    /// Adds the field declared at `index`, written as `name`.
    pub fn field(&mut self, index: usize, name: &str, schema: Schema, required: bool) {
        if let Some(slot) = self.entries.get_mut(index) {
            *slot = Some(Entry::Field {
                name: name.to_owned(),
                schema,
                required,
            });
        }
    }

    /// Adds the `#[serde(flatten)]` field declared at `index`, whose inline schema is `schema`.
    pub fn flatten(&mut self, index: usize, schema: Schema) {
        if let Some(slot) = self.entries.get_mut(index) {
            *slot = Some(Entry::Flatten(schema));
        }
    }

    /// The object schema, properties in `order` (declaration indices in layout order).
    pub fn build(mut self, order: &[usize]) -> Schema {
        let mut object = SchemaObject {
            types: vec![InstanceType::Object],
            ..SchemaObject::default()
        };
        for &index in order {
            match self.entries.get_mut(index).and_then(Option::take) {
                None => {}
                Some(Entry::Field {
                    name,
                    schema,
                    required,
                }) => {
                    if required {
                        object.required.push(name.clone());
                    }
                    object.properties.push((name, schema));
                }
                Some(Entry::Flatten(schema)) => merge_flattened(&mut object, schema),
            }
        }
        if object.additional_properties.is_none() {
            object.additional_properties = Some(Schema::Bool(false));
        }
        let names = object
            .properties
            .iter()
            .map(|(name, _)| Value::String(name.clone()))
            .collect();
        object
            .extensions
            .push((LAYOUT_ORDER_KEYWORD.to_owned(), Value::Array(names)));
        object.into()
    }
}

/// Merges the properties of a flattened record into `object`; any other schema (a map, an
/// enum) must hold as well, through `allOf`.
fn merge_flattened(object: &mut SchemaObject, schema: Schema) {
    let Schema::Object(inner) = schema else {
        return;
    };
    let is_record = inner.reference.is_none()
        && inner.all_of.is_empty()
        && inner.any_of.is_empty()
        && inner.one_of.is_empty()
        && inner.types == [InstanceType::Object];
    if !is_record {
        object.all_of.push(Schema::Object(inner));
        return;
    }
    let inner = *inner;
    object.properties.extend(inner.properties);
    object.required.extend(inner.required);
    // A flattened map opens the record to its values; a flattened record stays closed.
    if let Some(additional) = inner
        .additional_properties
        .filter(|a| *a != Schema::Bool(false))
    {
        object.additional_properties = Some(additional);
    }
}

/// How serde writes an enum (`#[serde(tag, content, untagged)]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation<'a> {
    /// `{"Variant": content}`, unit variants as `"Variant"` (serde's default).
    External,
    /// `{"tag": "Variant", ...fields}` (`#[serde(tag = "..")]`).
    Internal {
        /// The tag property.
        tag: &'a str,
    },
    /// `{"tag": "Variant", "content": content}` (`#[serde(tag = "..", content = "..")]`).
    Adjacent {
        /// The tag property.
        tag: &'a str,
        /// The content property.
        content: &'a str,
    },
    /// The content alone (`#[serde(untagged)]`).
    Untagged,
}

/// One variant of an enum, as the derive describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The wire name of the variant.
    pub name: String,
    /// The variant's doc comment.
    pub description: Option<String>,
    /// `None` for a unit variant, else the schema of its content: the inner schema of a
    /// newtype variant (inline for [`Representation::Internal`]), an array for a tuple
    /// variant, a record for a struct variant.
    pub content: Option<Schema>,
}

/// The schema of a tuple: an array with one schema per position.
pub fn tuple(items: Vec<Schema>) -> Schema {
    let len = items.len() as u64;
    SchemaObject {
        types: vec![InstanceType::Array],
        items: Some(Box::new(Items::Tuple(items))),
        min_items: Some(len),
        max_items: Some(len),
        ..SchemaObject::default()
    }
    .into()
}

fn constant_string(value: &str) -> Schema {
    SchemaObject {
        types: vec![InstanceType::String],
        constant: Some(Value::String(value.to_owned())),
        ..SchemaObject::default()
    }
    .into()
}

fn object_with(properties: Vec<(String, Schema)>, closed: bool) -> SchemaObject {
    SchemaObject {
        types: vec![InstanceType::Object],
        required: properties.iter().map(|(name, _)| name.clone()).collect(),
        properties,
        additional_properties: closed.then_some(Schema::Bool(false)),
        ..SchemaObject::default()
    }
}

/// The schema of an enum in the given serde representation.
///
/// ```
/// use event_core::schema::{enumeration, Representation, Variant};
/// let variants = ["low", "high"].map(|name| Variant { name: name.into(), description: None, content: None });
/// let schema = enumeration(Representation::External, variants.to_vec());
/// assert_eq!(schema.to_value(), serde_json::json!({"type": "string", "enum": ["low", "high"]}));
/// ```
pub fn enumeration(representation: Representation<'_>, variants: Vec<Variant>) -> Schema {
    let mut branches = Vec::new();
    let mut unit_names = Vec::new();
    for variant in variants {
        let branch = match (representation, variant.content) {
            (Representation::External, None) => {
                unit_names.push(Value::String(variant.name));
                continue;
            }
            (Representation::External, Some(content)) => {
                object_with(vec![(variant.name, content)], true).into()
            }
            (Representation::Internal { tag }, content) => {
                internally_tagged(tag, &variant.name, content)
            }
            (Representation::Adjacent { tag, content: key }, content) => {
                let mut properties = vec![(tag.to_owned(), constant_string(&variant.name))];
                properties.extend(content.map(|schema| (key.to_owned(), schema)));
                object_with(properties, false).into()
            }
            (Representation::Untagged, None) => Schema::of_type(InstanceType::Null),
            (Representation::Untagged, Some(content)) => content,
        };
        branches.push(match variant.description {
            Some(description) => describe(branch, &description),
            None => branch,
        });
    }
    if !unit_names.is_empty() {
        let units: Schema = SchemaObject {
            types: vec![InstanceType::String],
            enum_values: Some(unit_names),
            ..SchemaObject::default()
        }
        .into();
        branches.insert(0, units);
    }
    if branches.len() == 1 {
        return branches.remove(0);
    }
    let mut object = SchemaObject::default();
    if representation == Representation::Untagged {
        object.any_of = branches;
    } else {
        object.one_of = branches;
    }
    object.into()
}

fn internally_tagged(tag: &str, name: &str, content: Option<Schema>) -> Schema {
    let tag_property = (tag.to_owned(), constant_string(name));
    match content {
        None => object_with(vec![tag_property], false).into(),
        Some(Schema::Object(mut record))
            if record.types == [InstanceType::Object] && record.reference.is_none() =>
        {
            record.properties.insert(0, tag_property);
            record.required.insert(0, tag.to_owned());
            if let Some((_, Value::Array(order))) = record
                .extensions
                .iter_mut()
                .find(|(key, _)| key == LAYOUT_ORDER_KEYWORD)
            {
                order.insert(0, Value::String(tag.to_owned()));
            }
            Schema::Object(record)
        }
        Some(other) => SchemaObject {
            all_of: vec![object_with(vec![tag_property], false).into(), other],
            ..SchemaObject::default()
        }
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn unit(name: &str) -> Variant {
        Variant {
            name: name.into(),
            description: None,
            content: None,
        }
    }

    fn with(name: &str, content: Schema) -> Variant {
        Variant {
            content: Some(content),
            ..unit(name)
        }
    }

    fn record() -> Schema {
        let mut record = RecordSchema::new(1);
        record.field(0, "x", Schema::of_type(InstanceType::Integer), true);
        record.build(&[0])
    }

    #[test]
    fn externally_tagged_mixes_unit_names_and_single_key_objects() {
        let schema = enumeration(
            Representation::External,
            vec![unit("a"), with("b", Schema::of_type(InstanceType::Boolean))],
        );
        assert_eq!(
            schema.to_value(),
            json!({"oneOf": [
                {"type": "string", "enum": ["a"]},
                {"type": "object", "properties": {"b": {"type": "boolean"}}, "required": ["b"], "additionalProperties": false}
            ]})
        );
    }

    #[test]
    fn internally_tagged_puts_the_tag_into_the_record() {
        let schema = enumeration(
            Representation::Internal { tag: "kind" },
            vec![with("b", record())],
        );
        assert_eq!(
            schema.to_value(),
            json!({"type": "object", "properties": {"kind": {"type": "string", "const": "b"}, "x": {"type": "integer"}},
                   "required": ["kind", "x"], "additionalProperties": false, "x-layout-order": ["kind", "x"]})
        );
    }

    #[test]
    fn adjacently_tagged_and_untagged() {
        let adjacent = enumeration(
            Representation::Adjacent {
                tag: "t",
                content: "c",
            },
            vec![unit("a"), with("b", Schema::of_type(InstanceType::Boolean))],
        );
        assert_eq!(
            adjacent.to_value()["oneOf"][1]["required"],
            json!(["t", "c"])
        );
        assert_eq!(adjacent.to_value()["oneOf"][0]["required"], json!(["t"]));
        let untagged = enumeration(
            Representation::Untagged,
            vec![unit("a"), with("b", Schema::of_type(InstanceType::Boolean))],
        );
        assert_eq!(
            untagged.to_value(),
            json!({"anyOf": [{"type": "null"}, {"type": "boolean"}]})
        );
    }

    #[test]
    fn flattened_records_merge_and_maps_open_the_record() {
        let map: Schema = SchemaObject {
            types: vec![InstanceType::Object],
            additional_properties: Some(Schema::of_type(InstanceType::String)),
            ..SchemaObject::default()
        }
        .into();
        let mut outer = RecordSchema::new(3);
        outer.field(0, "a", Schema::of_type(InstanceType::Boolean), true);
        outer.flatten(1, record());
        outer.flatten(2, map);
        let value = outer.build(&[0, 1, 2]).to_value();
        assert_eq!(value["required"], json!(["a", "x"]));
        assert_eq!(value["additionalProperties"], json!({"type": "string"}));
    }

    #[test]
    fn document_sets_title_from_the_first_line() {
        let schema = document(Schema::of_type(InstanceType::Object), " First line.\nMore.");
        assert_eq!(schema.to_value()["title"], "First line.");
        assert_eq!(schema.to_value()["description"], "First line.\nMore.");
    }
}
