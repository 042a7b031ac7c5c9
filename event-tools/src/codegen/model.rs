//! The catalog's schemas read as types for other languages: records, string enums and tagged
//! unions with their fields in layout order, from the exported Draft 7 documents.

use std::collections::BTreeMap;

use serde_json::Value;

/// A field type, independent of the target language.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Any string.
    String,
    /// A uuid string.
    Uuid,
    /// An RFC 3339 timestamp.
    DateTime,
    /// An integer with the bits and signedness its bounds need.
    Int {
        /// 8, 16, 32 or 64.
        bits: u8,
        /// Whether negative values occur.
        signed: bool,
    },
    /// A floating-point number.
    Float,
    /// A boolean.
    Bool,
    /// An array.
    Array(Box<Ty>),
    /// An object with string keys.
    Map(Box<Ty>),
    /// A named definition.
    Named(String),
    /// The type or `null`.
    Nullable(Box<Ty>),
    /// A type parameter of a generic definition (the envelope's `T`).
    Param(String),
    /// Anything.
    Any,
}

/// A field of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// The wire name.
    pub wire: String,
    /// Its type.
    pub ty: Ty,
    /// Whether it is required.
    pub required: bool,
    /// Its description.
    pub description: Option<String>,
    /// Its constraints, as `keyword: value` notes.
    pub constraints: Vec<String>,
    /// Whether it is personal data (`"confluent:tags": ["PII"]`).
    pub personal: bool,
    /// The value a reader assumes when it is absent (`default`).
    pub default: Option<Value>,
    /// Whether it is deprecated (`deprecated: true`).
    pub deprecated: bool,
}

/// What the generated code says of a personal-data field.
pub const PERSONAL_NOTE: &str = "on the wire it is AES-256-GCM ciphertext (base64) when the \
    record's `pii.encrypted` header lists it; decrypt with the data subject's key";

/// A named definition.
#[derive(Debug, Clone, PartialEq)]
pub enum Def {
    /// An object with fields (in layout order).
    Record(Vec<FieldDef>),
    /// A string with a closed set of values.
    StringEnum(Vec<String>),
    /// Objects told apart by a constant tag property.
    TaggedUnion {
        /// The tag property.
        tag: String,
        /// Each variant: its tag value and its other fields.
        variants: Vec<(String, Vec<FieldDef>)>,
    },
    /// Anything else (written as raw JSON).
    Other,
}

/// A definition with its name and description.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// The definition name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// What it is.
    pub def: Def,
}

/// An event: its name, version, domain, data type and topic.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDef {
    /// `domain.entity.action`.
    pub event_type: String,
    /// The data definition's name.
    pub data: String,
    /// The domain.
    pub domain: String,
    /// The export folder (the domain, or `domains` for a cross-domain event).
    pub folder: String,
    /// The topic.
    pub topic: String,
    /// The declaration order of the data's fields (wire names), for size comparisons.
    pub declared_fields: Vec<String>,
}

/// Every definition of the catalog (sorted by name) and every event.
pub struct CodeModel {
    /// The catalog's title.
    pub title: String,
    /// The command that generated the code, named in every file's header.
    pub generator: String,
    /// Definitions.
    pub definitions: Vec<Named>,
    /// Events, sorted by name.
    pub events: Vec<EventDef>,
    /// The documents, by event type.
    pub documents: Vec<(String, Value)>,
    /// The envelope, generic over its `data` (`T`), read from the envelope part of the events'
    /// documents (whose schema the derive writes): every language's envelope comes from it.
    pub envelope: Named,
}

impl CodeModel {
    /// Reads the catalog's documents.
    pub fn read(catalog: &crate::Catalog) -> CodeModel {
        let events = catalog.events();
        let mut definitions: BTreeMap<String, Value> = BTreeMap::new();
        let mut event_defs = Vec::new();
        let mut documents = Vec::new();
        for event in events {
            let document = (event.descriptor.json_schema)();
            if let Some(Value::Object(defs)) = document.get("definitions") {
                for (name, schema) in defs {
                    definitions
                        .entry(name.clone())
                        .or_insert_with(|| schema.clone());
                }
            }
            let data = document["properties"]["data"]["$ref"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches("#/definitions/")
                .to_owned();
            event_defs.push(EventDef {
                event_type: event.event_type().to_owned(),
                data,
                domain: event.descriptor.domain.to_owned(),
                folder: event.folder().to_owned(),
                topic: event.descriptor.topic.to_owned(),
                declared_fields: event
                    .declared_fields
                    .iter()
                    .map(|&name| name.to_owned())
                    .collect(),
            });
            documents.push((event.event_type().to_owned(), document));
        }
        let envelope = envelope_of(documents.first().map(|(_, document)| document));
        CodeModel {
            envelope,
            title: catalog.title().to_owned(),
            generator: format!("cargo run --bin {}", catalog.export_binary()),
            definitions: definitions
                .into_iter()
                .map(|(name, schema)| Named {
                    description: description(&schema),
                    def: def_of(&schema),
                    name,
                })
                .collect(),
            events: event_defs,
            documents,
        }
    }

    /// The first line of a generated file of kind `file` (`Go`, `TypeScript test` …).
    pub fn header(&self, file: &str) -> String {
        format!(
            "// Code generated by `{}` (kafka-events). DO NOT EDIT. ({file})",
            self.generator
        )
    }

    /// The definition named `name`.
    pub fn definition(&self, name: &str) -> Option<&Named> {
        self.definitions.iter().find(|d| d.name == name)
    }
}

fn description(schema: &Value) -> Option<String> {
    schema["description"].as_str().map(str::to_owned)
}

/// The type of a schema position.
pub fn ty_of(schema: &Value) -> Ty {
    if let Some(reference) = schema["$ref"].as_str() {
        return Ty::Named(reference.rsplit('/').next().unwrap_or_default().to_owned());
    }
    if let Some([only]) = schema["allOf"].as_array().map(Vec::as_slice) {
        return ty_of(only);
    }
    if let Some([value, null]) = schema["anyOf"].as_array().map(Vec::as_slice) {
        if null["type"] == "null" {
            return Ty::Nullable(Box::new(ty_of(value)));
        }
    }
    match &schema["type"] {
        Value::Array(types) if types.len() == 2 && types.iter().any(|t| t == "null") => {
            let mut inner = schema.clone();
            inner["type"] = types
                .iter()
                .find(|t| *t != "null")
                .cloned()
                .unwrap_or(Value::Null);
            Ty::Nullable(Box::new(ty_of(&inner)))
        }
        Value::String(t) => match t.as_str() {
            "string" => match schema["format"].as_str() {
                Some("uuid") => Ty::Uuid,
                Some("date-time") => Ty::DateTime,
                _ => Ty::String,
            },
            "integer" => integer(schema),
            "number" => Ty::Float,
            "boolean" => Ty::Bool,
            "array" => Ty::Array(Box::new(ty_of(&schema["items"]))),
            "object"
                if schema["additionalProperties"].is_object()
                    && schema.get("properties").is_none() =>
            {
                Ty::Map(Box::new(ty_of(&schema["additionalProperties"])))
            }
            _ => Ty::Any,
        },
        _ => Ty::Any,
    }
}

fn integer(schema: &Value) -> Ty {
    let min = schema["minimum"].as_f64().unwrap_or(f64::MIN);
    let max = schema["maximum"].as_f64().unwrap_or(f64::MAX);
    let signed = min < 0.0;
    let fits = |bits: i32| {
        if signed {
            min >= -(2f64.powi(bits - 1)) && max <= 2f64.powi(bits - 1) - 1.0
        } else {
            max <= 2f64.powi(bits) - 1.0
        }
    };
    let bits = [8u8, 16, 32]
        .into_iter()
        .find(|&b| fits(i32::from(b)))
        .unwrap_or(64);
    Ty::Int { bits, signed }
}

/// The field keywords a schema carries (the derive's keyword table, in its order), as
/// `keyword: value` notes for doc comments; a uuid's or timestamp's own format and pattern are
/// left out (the type says it).
fn constraints(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for keyword in event_keywords::constraint_names() {
        if keyword == event_core::personal::TAGS_KEYWORD {
            continue;
        }
        if let Some(value) = schema.get(keyword) {
            let is_uuid = schema["format"] == "uuid";
            if (keyword == "format" && matches!(value.as_str(), Some("uuid" | "date-time")))
                || (keyword == "pattern" && is_uuid)
            {
                continue;
            }
            out.push(format!("{keyword}: {value}"));
        }
    }
    out
}

/// Whether a property's schema tags it personal data.
fn is_personal(schema: &Value) -> bool {
    schema[event_core::personal::TAGS_KEYWORD]
        .as_array()
        .is_some_and(|tags| tags.iter().any(|tag| tag == event_core::personal::PII_TAG))
}

fn fields_of(schema: &Value, skip: Option<&str>) -> Vec<FieldDef> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    schema["properties"]
        .as_object()
        .map(|properties| {
            properties
                .iter()
                .filter(|(name, _)| Some(name.as_str()) != skip)
                .map(|(name, property)| FieldDef {
                    wire: name.clone(),
                    ty: ty_of(property),
                    required: required.contains(&name.as_str()),
                    description: description(property),
                    constraints: constraints(property),
                    personal: is_personal(property),
                    default: property.get("default").cloned(),
                    deprecated: property["deprecated"] == true,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The names of the type parameters among `fields` (the envelope's `T`), in order.
pub fn type_parameters(fields: &[FieldDef]) -> Vec<&str> {
    fields
        .iter()
        .filter_map(|f| match &f.ty {
            Ty::Param(name) => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

/// The envelope's fields from an event's document, without what is the event's own: `data`
/// becomes the type parameter `T`, and the constant `event_type` and the major-fixing `version`
/// pattern are dropped (each event's type fixes them).
fn envelope_of(document: Option<&Value>) -> Named {
    let fields = document
        .map(|document| fields_of(document, None))
        .unwrap_or_default()
        .into_iter()
        .map(|mut field| {
            match field.wire.as_str() {
                "data" => field.ty = Ty::Param("T".to_owned()),
                "event_type" | "version" => field.constraints.clear(),
                _ => {}
            }
            field
        })
        .collect();
    Named {
        name: "Envelope".to_owned(),
        description: Some("The envelope carrying one event of type T on the wire.".to_owned()),
        def: Def::Record(fields),
    }
}

fn def_of(schema: &Value) -> Def {
    if schema["type"] == "object" && schema.get("properties").is_some() {
        return Def::Record(fields_of(schema, None));
    }
    if schema["type"] == "string" {
        if let Some(values) = schema["enum"].as_array() {
            return Def::StringEnum(
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            );
        }
    }
    if let Some(branches) = schema["oneOf"].as_array() {
        let tag = branches
            .first()
            .and_then(|b| b["properties"].as_object())
            .and_then(|p| {
                p.iter()
                    .find(|(_, s)| s.get("const").is_some())
                    .map(|(name, _)| name.clone())
            });
        if let Some(tag) = tag {
            let variants: Option<Vec<(String, Vec<FieldDef>)>> = branches
                .iter()
                .map(|branch| {
                    let value = branch["properties"][&tag]["const"].as_str()?.to_owned();
                    Some((value, fields_of(branch, Some(&tag))))
                })
                .collect();
            if let Some(variants) = variants {
                return Def::TaggedUnion { tag, variants };
            }
        }
    }
    Def::Other
}

/// `snake_case` or `kebab-case` as `PascalCase`, with `Id` written `ID`.
pub fn pascal(name: &str) -> String {
    name.split(['_', '-', '.'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            if part == "id" {
                return "ID".to_owned();
            }
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
