//! Reading a JSON Schema document as the comparison sees it: each schema position is
//! classified into one node kind (string, number, object, array, enum, combination …), the
//! way Confluent's loader does, with `$ref` resolved and the keywords of Draft 2019-09 and
//! 2020-12 read as their Draft 7 counterparts.

use serde_json::{Map, Value};

use super::CompatError;

/// The dialect of a document, chosen by its `$schema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Draft {
    /// Draft 7 and earlier (the default).
    Draft7,
    /// Draft 2019-09.
    Draft2019,
    /// Draft 2020-12.
    Draft2020,
}

/// One document with its dialect.
pub(crate) struct Document<'a> {
    pub root: &'a Value,
    pub draft: Draft,
}

impl<'a> Document<'a> {
    pub fn new(root: &'a Value) -> Result<Self, CompatError> {
        if !matches!(root, Value::Object(_) | Value::Bool(_)) {
            return Err(CompatError::NotASchema {
                pointer: "#".to_owned(),
                found: kind_of(root),
            });
        }
        let draft = match root.get("$schema").and_then(Value::as_str) {
            Some(uri) if uri.contains("2020-12") => Draft::Draft2020,
            Some(uri) if uri.contains("2019-09") => Draft::Draft2019,
            _ => Draft::Draft7,
        };
        Ok(Document { root, draft })
    }

    /// The schema a local `$ref` points at.
    pub fn resolve(&self, reference: &str, at: &str) -> Result<&'a Value, CompatError> {
        let unresolvable = || CompatError::UnresolvableRef {
            reference: reference.to_owned(),
            pointer: at.to_owned(),
        };
        let fragment = reference.strip_prefix('#').ok_or_else(unresolvable)?;
        let decoded = percent_decode(fragment).ok_or_else(unresolvable)?;
        if decoded.is_empty() {
            return Ok(self.root);
        }
        self.root.pointer(&decoded).ok_or_else(unresolvable)
    }
}

/// `text` with its `%XX` escapes decoded (a `$ref` fragment is URI-encoded), if UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// A short name of what a JSON value is, for errors.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `allOf`, `anyOf` or `oneOf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Criterion {
    All,
    Any,
    One,
}

impl Criterion {
    pub fn keyword(self) -> &'static str {
        match self {
            Criterion::All => "allOf",
            Criterion::Any => "anyOf",
            Criterion::One => "oneOf",
        }
    }
}

/// The primitive types of `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Primitive {
    String,
    Number,
    Integer,
    Boolean,
    Null,
    Object,
    Array,
}

impl Primitive {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "string" => Primitive::String,
            "number" => Primitive::Number,
            "integer" => Primitive::Integer,
            "boolean" => Primitive::Boolean,
            "null" => Primitive::Null,
            "object" => Primitive::Object,
            "array" => Primitive::Array,
            _ => return None,
        })
    }
}

/// Which part of a schema object a handle stands for. A schema object with several kinds of
/// keywords (`type` and `enum`, say) is read as an `allOf` of one part per kind, as Confluent's
/// loader does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Part {
    Whole,
    Typed(Primitive),
    TypeUnion,
    Enum,
    Const,
    Not,
    Combinator(Criterion),
    Reference,
}

/// A schema position in a document.
#[derive(Clone, Copy)]
pub(crate) struct Handle<'a> {
    pub value: &'a Value,
    pub part: Part,
}

impl<'a> Handle<'a> {
    pub fn whole(value: &'a Value) -> Self {
        Handle {
            value,
            part: Part::Whole,
        }
    }

    /// Identity for cycle detection and de-duplication.
    pub fn key(&self) -> (usize, Part) {
        (self.value as *const Value as usize, self.part)
    }
}

/// A classified schema position.
pub(crate) enum Node<'a> {
    /// Accepts everything (`true`, `{}` or only annotations).
    Empty,
    /// Accepts nothing.
    False,
    String(&'a Map<String, Value>),
    Number {
        map: &'a Map<String, Value>,
        integer: bool,
    },
    Boolean,
    Null,
    Object(&'a Map<String, Value>),
    Array(&'a Map<String, Value>),
    Enum(Vec<&'a Value>),
    Const(&'a Value),
    Not(Handle<'a>),
    Combined {
        criterion: Criterion,
        subschemas: Vec<Handle<'a>>,
    },
}

impl Node<'_> {
    /// The node's class: two nodes of different classes are a type change.
    pub fn class(&self) -> u8 {
        match self {
            Node::Empty => 0,
            Node::False => 1,
            Node::String(_) => 2,
            Node::Number { .. } => 3,
            Node::Boolean => 4,
            Node::Null => 5,
            Node::Object(_) => 6,
            Node::Array(_) => 7,
            Node::Enum(_) => 8,
            Node::Const(_) => 9,
            Node::Not(_) => 10,
            Node::Combined { .. } => 11,
        }
    }
}

/// JSON Schema's object keywords (none is a field keyword of the derive).
const OBJECT_KEYWORDS: [&str; 11] = [
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "unevaluatedProperties",
];
/// JSON Schema's array keywords beyond the derive's field keywords.
const MORE_ARRAY_KEYWORDS: [&str; 5] = [
    "items",
    "additionalItems",
    "prefixItems",
    "contains",
    "unevaluatedItems",
];

/// The keywords that tell a schema without `type` is a string, a number or an array: the
/// derive's field keywords of that kind (the one keyword table, `event-keywords`), plus
/// JSON Schema's other array keywords.
fn keywords_of(primitive: Primitive) -> Vec<&'static str> {
    use event_keywords::{Applies, FIELD_KEYWORDS};
    let table = |applies: &[Applies]| {
        FIELD_KEYWORDS
            .iter()
            .filter(|k| applies.contains(&k.applies))
            .map(|k| k.json)
            .collect::<Vec<_>>()
    };
    match primitive {
        Primitive::String => table(&[Applies::Strings]),
        Primitive::Number => table(&[Applies::Numbers]),
        Primitive::Array => {
            let mut keywords = table(&[Applies::Arrays, Applies::UniqueArrays]);
            keywords.extend(MORE_ARRAY_KEYWORDS);
            keywords
        }
        Primitive::Object => OBJECT_KEYWORDS.to_vec(),
        _ => Vec::new(),
    }
}

/// The kinds a schema without `type` has, by the keywords it uses.
fn inferred_kinds(map: &Map<String, Value>) -> Vec<Primitive> {
    [
        Primitive::String,
        Primitive::Number,
        Primitive::Object,
        Primitive::Array,
    ]
    .into_iter()
    .filter(|primitive| has_any(map, &keywords_of(*primitive)))
    .collect()
}

fn has_any(map: &Map<String, Value>, keywords: &[&str]) -> bool {
    keywords.iter().any(|k| map.contains_key(*k))
}

impl<'a> Document<'a> {
    /// Classifies a handle, following `$ref` chains. `pointer` names the position for errors.
    pub fn classify(
        &self,
        handle: Handle<'a>,
        pointer: &str,
    ) -> Result<(Node<'a>, Handle<'a>), CompatError> {
        let mut handle = handle;
        // The targets of the references followed so far: a repeat is a loop of references.
        let mut visited: Vec<*const Value> = Vec::new();
        loop {
            let map = match handle.value {
                Value::Bool(true) => return Ok((Node::Empty, handle)),
                Value::Bool(false) => return Ok((Node::False, handle)),
                Value::Object(map) => map,
                other => {
                    return Err(CompatError::NotASchema {
                        pointer: pointer.to_owned(),
                        found: kind_of(other),
                    })
                }
            };
            let follow_ref = match handle.part {
                Part::Reference => true,
                Part::Whole => {
                    map.contains_key("$ref")
                        && (self.draft == Draft::Draft7 || self.parts(map).len() == 1)
                }
                _ => false,
            };
            if follow_ref {
                let reference = map.get("$ref").and_then(Value::as_str).ok_or_else(|| {
                    CompatError::NotASchema {
                        pointer: format!("{pointer}/$ref"),
                        found: "a $ref that is not a string",
                    }
                })?;
                let target = self.resolve(reference, pointer)?;
                if visited.contains(&(target as *const Value)) {
                    return Err(CompatError::UnguardedRecursion {
                        pointer: pointer.to_owned(),
                    });
                }
                if visited.len() >= crate::MAX_DEPTH {
                    return Err(CompatError::TooDeep {
                        pointer: pointer.to_owned(),
                        limit: crate::MAX_DEPTH,
                    });
                }
                visited.push(target as *const Value);
                handle = Handle::whole(target);
                continue;
            }
            return Ok((self.node_of(map, handle), handle));
        }
    }

    /// The parts of a schema object (see [`Part`]).
    fn parts(&self, map: &Map<String, Value>) -> Vec<Part> {
        let mut parts = Vec::new();
        if map.contains_key("$ref") && self.draft != Draft::Draft7 {
            parts.push(Part::Reference);
        }
        match map.get("type") {
            Some(Value::String(name)) => parts.extend(Primitive::from_name(name).map(Part::Typed)),
            Some(Value::Array(names)) if names.len() == 1 => parts.extend(
                names[0]
                    .as_str()
                    .and_then(Primitive::from_name)
                    .map(Part::Typed),
            ),
            Some(Value::Array(_)) => parts.push(Part::TypeUnion),
            _ => {
                // No `type`: the kind follows from the keywords used.
                let kinds = inferred_kinds(map);
                match kinds.as_slice() {
                    [] => {}
                    [single] => parts.push(Part::Typed(*single)),
                    _ => parts.push(Part::TypeUnion),
                }
            }
        }
        if map.contains_key("enum") {
            parts.push(Part::Enum);
        }
        if map.contains_key("const") {
            parts.push(Part::Const);
        }
        if map.contains_key("not") {
            parts.push(Part::Not);
        }
        for criterion in [Criterion::All, Criterion::Any, Criterion::One] {
            if map.contains_key(criterion.keyword()) {
                parts.push(Part::Combinator(criterion));
            }
        }
        parts
    }

    fn node_of(&self, map: &'a Map<String, Value>, handle: Handle<'a>) -> Node<'a> {
        let part = match handle.part {
            Part::Whole => {
                let parts = self.parts(map);
                match parts.as_slice() {
                    [] => return Node::Empty,
                    [single] => *single,
                    _ => {
                        return Node::Combined {
                            criterion: Criterion::All,
                            subschemas: parts
                                .iter()
                                .map(|&part| Handle {
                                    value: handle.value,
                                    part,
                                })
                                .collect(),
                        }
                    }
                }
            }
            other => other,
        };
        match part {
            Part::Whole | Part::Reference => Node::Empty,
            Part::Typed(Primitive::String) => Node::String(map),
            Part::Typed(Primitive::Number) => Node::Number {
                map,
                integer: false,
            },
            Part::Typed(Primitive::Integer) => Node::Number { map, integer: true },
            Part::Typed(Primitive::Boolean) => Node::Boolean,
            Part::Typed(Primitive::Null) => Node::Null,
            Part::Typed(Primitive::Object) => Node::Object(map),
            Part::Typed(Primitive::Array) => Node::Array(map),
            Part::TypeUnion => {
                let names: Vec<Primitive> = match map.get("type") {
                    Some(Value::Array(names)) => names
                        .iter()
                        .filter_map(|n| n.as_str().and_then(Primitive::from_name))
                        .collect(),
                    _ => inferred_kinds(map),
                };
                Node::Combined {
                    criterion: Criterion::Any,
                    subschemas: names
                        .into_iter()
                        .map(|p| Handle {
                            value: handle.value,
                            part: Part::Typed(p),
                        })
                        .collect(),
                }
            }
            Part::Enum => Node::Enum(
                map.get("enum")
                    .and_then(Value::as_array)
                    .map(|v| v.iter().collect())
                    .unwrap_or_default(),
            ),
            Part::Const => map.get("const").map(Node::Const).unwrap_or(Node::Empty),
            Part::Not => map
                .get("not")
                .map(|v| Node::Not(Handle::whole(v)))
                .unwrap_or(Node::Empty),
            Part::Combinator(criterion) => Node::Combined {
                criterion,
                subschemas: map
                    .get(criterion.keyword())
                    .and_then(Value::as_array)
                    .map(|list| list.iter().map(Handle::whole).collect())
                    .unwrap_or_default(),
            },
        }
    }

    /// `properties`, in document order.
    pub fn properties(&self, map: &'a Map<String, Value>) -> Vec<(&'a str, &'a Value)> {
        map.get("properties")
            .and_then(Value::as_object)
            .map(|p| p.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    /// `required` names.
    pub fn required(&self, map: &'a Map<String, Value>) -> Vec<&'a str> {
        map.get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// `additionalProperties` (or, from 2019-09, `unevaluatedProperties` when it is absent).
    pub fn additional_properties(&self, map: &'a Map<String, Value>) -> Option<&'a Value> {
        map.get("additionalProperties")
            .or_else(|| match self.draft {
                Draft::Draft7 => None,
                _ => map.get("unevaluatedProperties"),
            })
    }

    /// `patternProperties`.
    pub fn pattern_properties(&self, map: &'a Map<String, Value>) -> Vec<(&'a str, &'a Value)> {
        map.get("patternProperties")
            .and_then(Value::as_object)
            .map(|p| p.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    /// Property dependencies as arrays (`dependencies` arrays and `dependentRequired`).
    pub fn dependency_arrays(&self, map: &'a Map<String, Value>) -> Vec<(&'a str, Vec<&'a str>)> {
        let mut out = Vec::new();
        let sources = [map.get("dependencies"), map.get("dependentRequired")];
        for source in sources.into_iter().flatten().filter_map(Value::as_object) {
            for (key, value) in source {
                if let Value::Array(names) = value {
                    out.push((
                        key.as_str(),
                        names.iter().filter_map(Value::as_str).collect(),
                    ));
                }
            }
        }
        out
    }

    /// Schema dependencies (`dependencies` schemas and `dependentSchemas`).
    pub fn dependency_schemas(&self, map: &'a Map<String, Value>) -> Vec<(&'a str, &'a Value)> {
        let mut out = Vec::new();
        let sources = [map.get("dependencies"), map.get("dependentSchemas")];
        for source in sources.into_iter().flatten().filter_map(Value::as_object) {
            for (key, value) in source {
                if matches!(value, Value::Object(_) | Value::Bool(_)) {
                    out.push((key.as_str(), value));
                }
            }
        }
        out
    }

    /// The schema every item must match (`items` as one schema; from 2020-12, `items` after
    /// `prefixItems`).
    pub fn all_items(&self, map: &'a Map<String, Value>) -> Option<&'a Value> {
        if self.draft == Draft::Draft2020 && map.contains_key("prefixItems") {
            return None;
        }
        map.get("items").filter(|items| !items.is_array())
    }

    /// The tuple form: one schema per position.
    pub fn tuple_items(&self, map: &'a Map<String, Value>) -> Vec<&'a Value> {
        let list = match self.draft {
            Draft::Draft2020 => map.get("prefixItems"),
            _ => map.get("items").filter(|items| items.is_array()),
        };
        list.and_then(Value::as_array)
            .map(|l| l.iter().collect())
            .unwrap_or_default()
    }

    /// What items after the tuple must match (`additionalItems`; from 2020-12 `items` after
    /// `prefixItems`; `unevaluatedItems` when neither is present).
    pub fn additional_items(&self, map: &'a Map<String, Value>) -> Option<&'a Value> {
        let declared = match self.draft {
            Draft::Draft2020 if map.contains_key("prefixItems") => map.get("items"),
            Draft::Draft2020 => None,
            _ => map.get("additionalItems"),
        };
        declared.or_else(|| match self.draft {
            Draft::Draft7 => None,
            _ => map.get("unevaluatedItems"),
        })
    }
}

/// The annotations compared at every schema: `$id` (or `id`), `title`, `description`, `default`.
pub(crate) fn annotations(value: &Value) -> [(&'static str, Option<&Value>); 4] {
    let get = |key: &str| value.as_object().and_then(|m| m.get(key));
    [
        ("id", get("$id").or_else(|| get("id"))),
        ("title", get("title")),
        ("description", get("description")),
        ("default", get("default")),
    ]
}
