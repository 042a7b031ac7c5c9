//! Soundness of the checker against real data: for random schema pairs that the checker calls
//! Backward-compatible (strict policy), random instances valid under `old` are valid under
//! `new`, as the independent `jsonschema` crate sees it.
//!
//! Schemas come from a small grammar (strings, numbers, integers, booleans, enums, nullable
//! types, arrays, open and closed objects, nested) without `default` (Confluent calls a newly
//! required property with a default compatible because a reader fills the default in; plain
//! validation cannot, so defaults are left out here).

use event_core::compat::{check_history_with, CheckOptions, CompatMode, CompatReport};
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
    let mut properties = Map::new();
    let mut required = Vec::new();
    for name in NAMES.iter().take(1 + rng.below(4) as usize) {
        properties.insert((*name).to_owned(), schema(rng, depth - 1));
        if rng.chance(50) {
            required.push(json!(name));
        }
    }
    let mut s = json!({"type": "object", "properties": properties, "required": required});
    if rng.chance(60) {
        s["additionalProperties"] = json!(false);
    }
    s
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

/// A strict Backward check with Confluent's known blind spots reported (the gate's setting).
fn sound_check(old: &Value, new: &Value) -> CompatReport {
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
    .expect("comparable")
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
            for _ in 0..20 {
                let value = instance(&mut rng, &old);
                if old_validator.is_valid(&value) {
                    prop_assert!(
                        new_validator.is_valid(&value),
                        "called compatible, but {value} valid under\n{old}\nis invalid under\n{new}\nchanges: {:?}",
                        report.changes()
                    );
                }
            }
        }
    }
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
