//! Soundness of the checker against real data: for random schema pairs that the checker calls
//! Backward-compatible (strict policy), random instances valid under `old` are valid under
//! `new`, as the independent `jsonschema` crate sees it.
//!
//! Schemas come from a small grammar (strings, numbers, integers, booleans, enums, nullable
//! types, arrays, open and closed objects, nested) without `default` (Confluent calls a newly
//! required property with a default compatible because a reader fills the default in; plain
//! validation cannot, so defaults are left out here).

use event_core::compat::{check_history_with, CheckOptions, CompatError, CompatMode, CompatReport};
use kafka_events_tests::draft7_validator;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// A small deterministic random source (xorshift64*), seeded by proptest.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const NAMES: [&str; 6] = ["a", "b", "c", "d", "e", "f"];
const WORDS: [&str; 5] = ["gold", "gems", "iron", "wood", "salt"];

fn leaf(rng: &mut Rng) -> Value {
    let mut schema = match rng.below(6) {
        0 => {
            let mut s = json!({"type": "string"});
            if rng.chance(50) {
                s["maxLength"] = json!(2 + rng.below(6));
            }
            if rng.chance(30) {
                s["minLength"] = json!(rng.below(2));
            }
            s
        }
        1 => {
            let mut s = json!({"type": "integer"});
            if rng.chance(50) {
                s["minimum"] = json!(rng.below(10) as i64 - 5);
            }
            if rng.chance(50) {
                s["maximum"] = json!(10 + rng.below(10));
            }
            if rng.chance(20) {
                s["multipleOf"] = json!(*rng.pick(&[2, 3, 4]));
            }
            s
        }
        2 => {
            let mut s = json!({"type": "number"});
            if rng.chance(50) {
                s["maximum"] = json!(5 + rng.below(10));
            }
            s
        }
        3 => json!({"type": "boolean"}),
        _ => {
            let count = 1 + rng.below(3) as usize;
            json!({"type": "string", "enum": WORDS[..count]})
        }
    };
    if rng.chance(20) {
        let ty = schema["type"].clone();
        schema["type"] = json!([ty, "null"]);
        if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
            values.push(Value::Null);
        }
    }
    schema
}

fn schema(rng: &mut Rng, depth: u32) -> Value {
    if depth == 0 || rng.chance(40) {
        return leaf(rng);
    }
    if rng.chance(25) {
        let mut s = json!({"type": "array", "items": schema(rng, depth - 1)});
        if rng.chance(50) {
            s["maxItems"] = json!(1 + rng.below(4));
        }
        return s;
    }
    object_of(rng, (4, 50, 60), |rng| schema(rng, depth - 1))
}

/// A random edit of one position of `schema`.
fn mutate(rng: &mut Rng, schema: &mut Value, depth: u32) {
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        if !properties.is_empty() && rng.chance(60) && depth > 0 {
            let keys: Vec<String> = properties.keys().cloned().collect();
            let key = rng.pick(&keys).clone();
            if let Some(child) = properties.get_mut(&key) {
                return mutate(rng, child, depth - 1);
            }
        }
    }
    if schema.get("items").is_some() && rng.chance(50) && depth > 0 {
        if let Some(items) = schema.get_mut("items") {
            return mutate(rng, items, depth - 1);
        }
    }
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    match rng.below(10) {
        0 => {
            map.insert("maxLength".to_owned(), json!(1 + rng.below(8)));
        }
        1 => {
            map.remove(*rng.pick(&[
                "maxLength",
                "minLength",
                "maximum",
                "minimum",
                "multipleOf",
                "maxItems",
            ]));
        }
        2 => {
            let key = *rng.pick(&["maximum", "minimum"]);
            map.insert(key.to_owned(), json!(rng.below(20) as i64 - 5));
        }
        3 => {
            let ty = rng.pick(&["string", "integer", "number", "boolean"]);
            map.insert("type".to_owned(), json!(ty));
        }
        4 => {
            if let Some(ty) = map.get("type").cloned() {
                if ty.is_string() {
                    map.insert("type".to_owned(), json!([ty, "null"]));
                }
            }
        }
        5 => {
            if let Some(values) = map.get_mut("enum").and_then(Value::as_array_mut) {
                if rng.chance(50) {
                    values.push(json!(WORDS[4]));
                } else if values.len() > 1 {
                    values.pop();
                }
            }
        }
        6 => {
            if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
                let name = *rng.pick(&NAMES);
                if properties.remove(name).is_none() {
                    properties.insert(name.to_owned(), leaf(rng));
                }
            }
        }
        7 => {
            if let Some(required) = map.get_mut("required").and_then(Value::as_array_mut) {
                let name = json!(rng.pick(&NAMES));
                if let Some(at) = required.iter().position(|r| *r == name) {
                    required.remove(at);
                } else {
                    required.push(name);
                }
            }
        }
        8 => {
            if map.contains_key("properties") && map.remove("additionalProperties").is_none() {
                map.insert("additionalProperties".to_owned(), json!(false));
            }
        }
        _ => {
            map.insert("multipleOf".to_owned(), json!(*rng.pick(&[2, 3, 6])));
        }
    }
}

/// A random instance meant to be valid under `schema` (checked by the caller).
fn instance(rng: &mut Rng, schema: &Value) -> Value {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => vec!["null"],
    };
    let ty = *rng.pick(&types);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return rng.pick(values).clone();
    }
    let number = |key: &str| schema.get(key).and_then(Value::as_i64);
    match ty {
        "string" => {
            let min = number("minLength").unwrap_or(0) as u64;
            let max = number("maxLength")
                .map(|m| m as u64)
                .unwrap_or(min + 6)
                .max(min);
            let len = min + rng.below(max - min + 1);
            json!((0..len)
                .map(|_| (b'a' + rng.below(26) as u8) as char)
                .collect::<String>())
        }
        "integer" | "number" => {
            let min = number("minimum").unwrap_or(-20);
            let max = number("maximum").unwrap_or(40).max(min);
            let step = number("multipleOf").unwrap_or(1).max(1);
            let value = min + rng.below((max - min + 1) as u64) as i64;
            let value = value - value.rem_euclid(step);
            if ty == "number" && rng.chance(30) {
                json!(value as f64 + 0.5)
            } else {
                json!(value)
            }
        }
        "boolean" => json!(rng.chance(50)),
        "array" => {
            let max = number("maxItems").unwrap_or(3) as u64;
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                (0..rng.below(max + 1))
                    .map(|_| instance(rng, &items))
                    .collect(),
            )
        }
        "object" => {
            let mut object = Map::new();
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                if required.contains(&name.as_str()) || rng.chance(60) {
                    object.insert(name.clone(), instance(rng, property));
                }
            }
            if schema.get("additionalProperties").is_none() && rng.chance(50) {
                // An open model lets old data carry any other property: exactly what makes
                // adding a property to an open model unsafe.
                let name = *rng.pick(&NAMES);
                object
                    .entry(name.to_owned())
                    .or_insert_with(|| json!(rng.below(5) as i64 - 100));
            }
            Value::Object(object)
        }
        _ => Value::Null,
    }
}

/// [`strict_check`] of a pair the simple grammar makes: always comparable.
fn sound_check(old: &Value, new: &Value) -> CompatReport {
    strict_check(old, new).expect("comparable")
}

/// A strict Backward check with Confluent's known blind spots reported (the gate's setting).
fn strict_check(old: &Value, new: &Value) -> Result<CompatReport, CompatError> {
    let options = CheckOptions {
        confluent_quirks: false,
        ..CheckOptions::default()
    };
    check_history_with(
        std::slice::from_ref(old),
        new,
        CompatMode::Backward,
        options,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn backward_compatible_means_old_data_stays_valid(seed in 1u64.., edits in 1u32..4) {
        let mut rng = Rng(seed);
        let old = schema(&mut rng, 2);
        let mut new = old.clone();
        for _ in 0..edits {
            mutate(&mut rng, &mut new, 2);
        }
        let report = sound_check(&old, &new);
        if report.is_compatible() {
            let (old_validator, new_validator) = (draft7_validator(&old), draft7_validator(&new));
            let values: Vec<Value> = (0..20).map(|_| instance(&mut rng, &old)).collect();
            assert_old_data_stays_valid(&old, &new, &report, (&old_validator, &new_validator), values)?;
        }
    }
}

/// Each of `values` valid under `old` is valid under `new` (which `report` calls compatible).
fn assert_old_data_stays_valid(
    old: &Value,
    new: &Value,
    report: &CompatReport,
    (old_validator, new_validator): (&jsonschema::Validator, &jsonschema::Validator),
    values: Vec<Value>,
) -> Result<(), TestCaseError> {
    for value in values {
        if old_validator.is_valid(&value) {
            prop_assert!(
                new_validator.is_valid(&value),
                "called compatible, but {value} valid under\n{old}\nis invalid under\n{new}\nchanges: {:?}",
                report.changes()
            );
        }
    }
    Ok(())
}

/// The property above must see both verdicts often, or it proves little.
#[test]
fn the_generator_produces_both_verdicts() {
    let (mut compatible, mut breaking) = (0, 0);
    for seed in 1..400u64 {
        let mut rng = Rng(seed);
        let old = schema(&mut rng, 2);
        let mut new = old.clone();
        mutate(&mut rng, &mut new, 2);
        if sound_check(&old, &new).is_compatible() {
            compatible += 1;
        } else {
            breaking += 1;
        }
    }
    assert!(
        compatible > 50 && breaking > 50,
        "compatible {compatible}, breaking {breaking}"
    );
}

// The same property on a richer grammar: Draft 2020-12 documents with combinators, `$ref` to
// `$defs`, `propertyNames`, overlapping `patternProperties`, `contains` with its counts and
// `prefixItems`, edited by moves that switch a combinator's criterion, drop branches, and
// change those keywords.

const DRAFT_2020: &str = "https://json-schema.org/draft/2020-12/schema";
const PATTERNS: [&str; 3] = ["^a", "^[ab]", "b$"];

fn rich(rng: &mut Rng, depth: u32) -> Value {
    if depth == 0 || rng.chance(30) {
        return leaf(rng);
    }
    match rng.below(7) {
        0 => {
            let mut s = json!({"type": "array", "items": rich(rng, depth - 1)});
            if rng.chance(40) {
                s["prefixItems"] = json!([leaf(rng), leaf(rng)]);
            }
            if rng.chance(60) {
                s["contains"] = leaf(rng);
                if rng.chance(50) {
                    s["minContains"] = json!(rng.below(3));
                }
                if rng.chance(50) {
                    s["maxContains"] = json!(1 + rng.below(3));
                }
            }
            s
        }
        1 | 2 => {
            let mut s = schema_object(rng, depth);
            if rng.chance(50) {
                let mut patterns = Map::new();
                for pattern in PATTERNS.iter().take(1 + rng.below(3) as usize) {
                    patterns.insert((*pattern).to_owned(), leaf(rng));
                }
                s["patternProperties"] = Value::Object(patterns);
            }
            if rng.chance(40) {
                s["propertyNames"] = if rng.chance(50) {
                    json!({"maxLength": 1 + rng.below(2)})
                } else {
                    json!({"pattern": "^[a-d]"})
                };
            }
            s
        }
        3 => json!({"anyOf": [rich(rng, depth - 1), rich(rng, depth - 1)]}),
        4 => json!({"oneOf": [rich(rng, depth - 1), rich(rng, depth - 1)]}),
        5 => json!({"allOf": [schema_object(rng, depth), schema_object(rng, depth)]}),
        _ => json!({"$ref": "#/$defs/d0"}),
    }
}

/// An object of the rich grammar's children.
fn schema_object(rng: &mut Rng, depth: u32) -> Value {
    object_of(rng, (3, 40, 40), |rng| rich(rng, depth - 1))
}

/// An object of 1 to `most` properties made by `child`, each required with `required` percent
/// chance, closed (`additionalProperties: false`) with `closed` percent chance.
fn object_of(
    rng: &mut Rng,
    (most, required_percent, closed_percent): (u64, u64, u64),
    mut child: impl FnMut(&mut Rng) -> Value,
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for name in NAMES.iter().take(1 + rng.below(most) as usize) {
        properties.insert((*name).to_owned(), child(rng));
        if rng.chance(required_percent) {
            required.push(json!(name));
        }
    }
    let mut s = json!({"type": "object", "properties": properties, "required": required});
    if rng.chance(closed_percent) {
        s["additionalProperties"] = json!(false);
    }
    s
}

/// A 2020-12 document: `rich` at the root, one definition `d0` for its references.
fn rich_document(rng: &mut Rng) -> Value {
    let mut root = rich(rng, 2);
    root["$schema"] = json!(DRAFT_2020);
    // A definition that is not itself a bare reference (that would be a loop, a typed error).
    root["$defs"] = json!({"d0": schema_object(rng, 1)});
    root
}

/// The sub-schemas of `schema` a rich edit may descend into.
fn children(schema: &mut Value) -> Vec<&mut Value> {
    let Some(map) = schema.as_object_mut() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (key, value) in map.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" => found.extend(
                value
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|m| m.values_mut()),
            ),
            "anyOf" | "oneOf" | "allOf" | "prefixItems" => {
                found.extend(value.as_array_mut().into_iter().flatten())
            }
            "items" | "contains" | "propertyNames" => found.push(value),
            _ => {}
        }
    }
    found
}

fn mutate_rich(rng: &mut Rng, schema: &mut Value, depth: u32) {
    if depth > 0 && rng.chance(55) {
        let mut inner = children(schema);
        if !inner.is_empty() {
            let at = rng.below(inner.len() as u64) as usize;
            return mutate_rich(rng, inner.swap_remove(at), depth - 1);
        }
    }
    if !rich_edit(rng, schema) {
        mutate(rng, schema, 0);
    }
}

/// One edit of the rich grammar's keywords at `schema`; `false` when the chosen edit does not
/// apply there.
fn rich_edit(rng: &mut Rng, schema: &mut Value) -> bool {
    let Some(map) = schema.as_object_mut() else {
        return false;
    };
    match rng.below(7) {
        0 => {
            // Switch a combinator's criterion.
            for from in ["allOf", "anyOf", "oneOf"] {
                if let Some(branches) = map.remove(from) {
                    let to = *rng.pick(&["allOf", "anyOf", "oneOf"]);
                    map.insert(to.to_owned(), branches);
                    return true;
                }
            }
            false
        }
        1 => {
            // Drop or add a branch.
            for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
                if let Some(branches) = map.get_mut(key).and_then(Value::as_array_mut) {
                    if branches.len() > 1 && rng.chance(60) {
                        branches.pop();
                    } else {
                        branches.push(leaf(rng));
                    }
                    return true;
                }
            }
            false
        }
        2 if map.contains_key("properties") => {
            if map.remove("propertyNames").is_none() {
                map.insert("propertyNames".to_owned(), json!({"maxLength": 1}));
            }
            true
        }
        3 if map.contains_key("contains") => {
            let key = *rng.pick(&["minContains", "maxContains"]);
            if map.remove(key).is_none() {
                map.insert(key.to_owned(), json!(rng.below(3)));
            }
            true
        }
        4 if map.get("type") == Some(&json!("array")) => {
            if map.remove("contains").is_none() {
                map.insert("contains".to_owned(), json!({"type": "string"}));
            }
            true
        }
        5 if map.contains_key("properties") => {
            let patterns = map.entry("patternProperties").or_insert_with(|| json!({}));
            if let Some(patterns) = patterns.as_object_mut() {
                let pattern = *rng.pick(&PATTERNS);
                if patterns.remove(pattern).is_none() {
                    patterns.insert(pattern.to_owned(), leaf(rng));
                }
            }
            true
        }
        _ => false,
    }
}

/// A random instance meant to be valid under `schema` within `root` (checked by the caller).
fn rich_instance(rng: &mut Rng, schema: &Value, root: &Value, depth: u32) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = reference
            .strip_prefix("#/$defs/")
            .and_then(|name| root["$defs"].get(name))
            .cloned()
            .unwrap_or(json!({}));
        return rich_instance(rng, &target, root, depth + 1);
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let branch = if key == "allOf" {
                &branches[0]
            } else {
                rng.pick(branches)
            };
            let mut value = rich_instance(rng, branch, root, depth + 1);
            if key == "allOf" {
                // Fill in what the other branches require.
                for other in &branches[1..] {
                    if let (Some(object), Value::Object(more)) = (
                        value.as_object_mut(),
                        rich_instance(rng, other, root, depth + 1),
                    ) {
                        for (name, item) in more {
                            object.entry(name).or_insert(item);
                        }
                    }
                }
            }
            return value;
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            let mut array: Vec<Value> = schema["prefixItems"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|item| rich_instance(rng, item, root, depth + 1))
                .collect();
            for _ in 0..rng.below(3) {
                array.push(rich_instance(rng, &items, root, depth + 1));
            }
            if let Some(contains) = schema.get("contains") {
                for _ in 0..rng.below(3) {
                    array.push(rich_instance(rng, contains, root, depth + 1));
                }
            }
            Value::Array(array)
        }
        Some("object") => {
            let mut object = match instance(rng, &strip(schema)) {
                Value::Object(object) => object,
                _ => Map::new(),
            };
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                if object.contains_key(name) {
                    object.insert(name.clone(), rich_instance(rng, property, root, depth + 1));
                }
            }
            for (pattern, property) in schema["patternProperties"]
                .as_object()
                .into_iter()
                .flatten()
            {
                if rng.chance(50) {
                    let name = match *pattern {
                        ref p if p == "b$" => "ab",
                        ref p if p == "^[ab]" => "b",
                        _ => "a",
                    };
                    object.insert(
                        name.to_owned(),
                        rich_instance(rng, property, root, depth + 1),
                    );
                }
            }
            Value::Object(object)
        }
        _ => instance(rng, schema),
    }
}

/// `schema` without the keywords the simple generator does not know.
fn strip(schema: &Value) -> Value {
    let mut copy = schema.clone();
    if let Some(map) = copy.as_object_mut() {
        for key in ["patternProperties", "propertyNames", "$defs", "$schema"] {
            map.remove(key);
        }
    }
    copy
}

/// [`strict_check`], `None` when the pair cannot be compared (a typed error).
fn rich_check(old: &Value, new: &Value) -> Option<CompatReport> {
    strict_check(old, new).ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("SOUNDNESS_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000), ..ProptestConfig::default() })]

    #[test]
    fn backward_compatible_means_old_data_stays_valid_for_combinators_refs_and_2020_keywords(
        seed in 1u64..,
        edits in 1u32..3,
    ) {
        let mut rng = Rng(seed);
        let old = rich_document(&mut rng);
        let mut new = old.clone();
        for _ in 0..edits {
            mutate_rich(&mut rng, &mut new, 3);
        }
        if let Some(report) = rich_check(&old, &new) {
            if report.is_compatible() {
                let old_validator = jsonschema::validator_for(&old).expect("old compiles");
                let new_validator = jsonschema::validator_for(&new).expect("new compiles");
                let values: Vec<Value> =
                    (0..30).map(|_| rich_instance(&mut rng, &old, &old, 0)).collect();
                assert_old_data_stays_valid(&old, &new, &report, (&old_validator, &new_validator), values)?;
            }
        }
    }
}

/// The rich property must see both verdicts and valid instances often, or it proves little.
#[test]
fn the_rich_generator_produces_both_verdicts_and_valid_data() {
    let (mut compatible, mut breaking, mut errors, mut valid) = (0, 0, 0, 0);
    for seed in 1..400u64 {
        let mut rng = Rng(seed);
        let old = rich_document(&mut rng);
        let mut new = old.clone();
        mutate_rich(&mut rng, &mut new, 3);
        match rich_check(&old, &new) {
            Some(report) if report.is_compatible() => compatible += 1,
            Some(_) => breaking += 1,
            None => {
                errors += 1;
                eprintln!("not comparable: {old}\n{new}");
            }
        }
        let validator = jsonschema::validator_for(&old).expect("compiles");
        if (0..10).any(|_| validator.is_valid(&rich_instance(&mut rng, &old, &old, 0))) {
            valid += 1;
        }
    }
    assert!(
        compatible > 50 && breaking > 50 && errors < 10 && valid > 250,
        "compatible {compatible}, breaking {breaking}, errors {errors}, documents with valid data {valid}"
    );
}
