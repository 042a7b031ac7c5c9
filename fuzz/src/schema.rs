//! Schemas built from the fuzzer's bytes for the checker: types, bounds, patterns, nested
//! objects and arrays, combinators and `$ref` to definitions (recursive ones included), from
//! small vocabularies so that two inputs often share names and differ in a few places.

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};

/// The deepest a built schema nests (deeper parts become `true`).
const MAX_NESTING: usize = 12;

const NAMES: [&str; 5] = ["a", "b", "id", "x_1", "tags"];
const PATTERNS: [&str; 6] = ["^a", "b$", "^x_[0-9]+$", ".*", "[", "(a|b)+"];

/// A JSON Schema document: definitions and a root that may refer to them.
#[derive(Arbitrary, Debug)]
pub struct Document {
    definitions: Vec<Node>,
    root: Node,
}

/// One schema position.
#[derive(Arbitrary, Debug)]
pub enum Node {
    Bool(bool),
    Type(Primitive),
    String {
        min_length: Option<u8>,
        max_length: Option<u8>,
        pattern: Option<u8>,
    },
    Number {
        integer: bool,
        minimum: Option<i8>,
        maximum: Option<i8>,
        multiple_of: Option<u8>,
    },
    Object {
        properties: Vec<(u8, Node)>,
        required: Vec<u8>,
        additional: Option<Box<Node>>,
        pattern_properties: Vec<(u8, Node)>,
        property_names: Option<Box<Node>>,
    },
    Array {
        items: Option<Box<Node>>,
        prefix: Vec<Node>,
        min_items: Option<u8>,
        max_items: Option<u8>,
        unique: bool,
        contains: Option<Box<Node>>,
    },
    AnyOf(Vec<Node>),
    OneOf(Vec<Node>),
    AllOf(Vec<Node>),
    Not(Box<Node>),
    Ref(u8),
    Enum(Vec<i8>),
    Const(i8),
}

/// A primitive type name.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Primitive {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Document {
    /// The document as JSON.
    pub fn to_json(&self) -> Value {
        let count = self.definitions.len();
        let mut root = self.root.to_json(count, 0);
        if count > 0 {
            let definitions: Map<String, Value> = self
                .definitions
                .iter()
                .enumerate()
                .map(|(i, node)| (format!("d{i}"), node.to_json(count, 0)))
                .collect();
            if let Value::Object(map) = &mut root {
                map.insert("definitions".into(), Value::Object(definitions));
            } else {
                root = json!({"allOf": [root], "definitions": definitions});
            }
        }
        root
    }
}

fn pick<'a>(list: &[&'a str], index: u8) -> &'a str {
    list[usize::from(index) % list.len()]
}

impl Node {
    fn to_json(&self, definitions: usize, depth: usize) -> Value {
        if depth >= MAX_NESTING {
            return Value::Bool(true);
        }
        let child = |node: &Node| node.to_json(definitions, depth + 1);
        let all = |nodes: &[Node]| Value::Array(nodes.iter().map(child).collect());
        let mut map = Map::new();
        match self {
            Node::Bool(value) => return Value::Bool(*value),
            Node::Type(primitive) => {
                map.insert("type".into(), json!(primitive.name()));
            }
            Node::String {
                min_length,
                max_length,
                pattern,
            } => {
                map.insert("type".into(), json!("string"));
                insert(&mut map, "minLength", min_length.map(|n| json!(n % 8)));
                insert(&mut map, "maxLength", max_length.map(|n| json!(n % 16)));
                insert(
                    &mut map,
                    "pattern",
                    pattern.map(|p| json!(pick(&PATTERNS, p))),
                );
            }
            Node::Number {
                integer,
                minimum,
                maximum,
                multiple_of,
            } => {
                map.insert(
                    "type".into(),
                    json!(if *integer { "integer" } else { "number" }),
                );
                insert(&mut map, "minimum", minimum.map(|n| json!(n)));
                insert(&mut map, "maximum", maximum.map(|n| json!(n)));
                insert(
                    &mut map,
                    "multipleOf",
                    multiple_of.map(|n| json!(n % 8 + 1)),
                );
            }
            Node::Object {
                properties,
                required,
                additional,
                pattern_properties,
                property_names,
            } => {
                map.insert("type".into(), json!("object"));
                let properties: Map<String, Value> = properties
                    .iter()
                    .map(|(name, node)| (pick(&NAMES, *name).to_owned(), child(node)))
                    .collect();
                map.insert("properties".into(), Value::Object(properties));
                let mut names: Vec<&str> = required.iter().map(|n| pick(&NAMES, *n)).collect();
                names.sort_unstable();
                names.dedup();
                if !names.is_empty() {
                    map.insert("required".into(), json!(names));
                }
                insert(
                    &mut map,
                    "additionalProperties",
                    additional.as_deref().map(child),
                );
                if !pattern_properties.is_empty() {
                    let patterns: Map<String, Value> = pattern_properties
                        .iter()
                        .map(|(p, node)| (pick(&PATTERNS, *p).to_owned(), child(node)))
                        .collect();
                    map.insert("patternProperties".into(), Value::Object(patterns));
                }
                insert(
                    &mut map,
                    "propertyNames",
                    property_names.as_deref().map(child),
                );
            }
            Node::Array {
                items,
                prefix,
                min_items,
                max_items,
                unique,
                contains,
            } => {
                map.insert("type".into(), json!("array"));
                if prefix.is_empty() {
                    insert(&mut map, "items", items.as_deref().map(child));
                } else {
                    map.insert("items".into(), all(prefix));
                    insert(&mut map, "additionalItems", items.as_deref().map(child));
                }
                insert(&mut map, "minItems", min_items.map(|n| json!(n % 8)));
                insert(&mut map, "maxItems", max_items.map(|n| json!(n % 16)));
                if *unique {
                    map.insert("uniqueItems".into(), json!(true));
                }
                insert(&mut map, "contains", contains.as_deref().map(child));
            }
            Node::AnyOf(nodes) => {
                map.insert("anyOf".into(), all(nodes));
            }
            Node::OneOf(nodes) => {
                map.insert("oneOf".into(), all(nodes));
            }
            Node::AllOf(nodes) => {
                map.insert("allOf".into(), all(nodes));
            }
            Node::Not(node) => {
                map.insert("not".into(), child(node));
            }
            Node::Ref(index) => {
                let target = if definitions == 0 {
                    "#".to_owned()
                } else {
                    format!("#/definitions/d{}", usize::from(*index) % definitions)
                };
                map.insert("$ref".into(), json!(target));
            }
            Node::Enum(values) => {
                map.insert("enum".into(), json!(values));
            }
            Node::Const(value) => {
                map.insert("const".into(), json!(value));
            }
        }
        Value::Object(map)
    }
}

impl Primitive {
    fn name(self) -> &'static str {
        match self {
            Primitive::Null => "null",
            Primitive::Boolean => "boolean",
            Primitive::Integer => "integer",
            Primitive::Number => "number",
            Primitive::String => "string",
            Primitive::Array => "array",
            Primitive::Object => "object",
        }
    }
}

fn insert(map: &mut Map<String, Value>, keyword: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(keyword.to_owned(), value);
    }
}
