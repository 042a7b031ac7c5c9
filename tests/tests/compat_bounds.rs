//! The checker on hostile schemas (snapshot files come from pull requests): every input
//! finishes in bounded work with a verdict or a typed error; none overflows the stack.

use event_core::compat::{check, ChangeKind, CompatError, CompatMode, MAX_DIFFERENCES};
use serde_json::{json, Map, Value};

/// Runs the checker on a thread with Rust's default stack for spawned threads (2 MiB, what a
/// test harness thread has), so unbounded recursion shows as an abort of the test rather than
/// passing on the main thread's larger stack.
fn check_on_small_stack(old: Value, new: Value) -> Result<(bool, Vec<ChangeKind>), CompatError> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            check(&old, &new, CompatMode::Full).map(|report| {
                let kinds = report.changes().iter().map(|change| change.kind).collect();
                (report.is_compatible(), kinds)
            })
        })
        .expect("thread")
        .join()
        .expect("the checker did not panic")
}

#[test]
fn a_schema_that_refers_to_itself_through_a_combinator_is_a_typed_error() {
    for combinator in ["anyOf", "oneOf", "allOf"] {
        let looping = json!({combinator: [{"$ref": "#"}, {"type": "string"}]});
        let plain = json!({"type": "string"});
        for (old, new) in [
            (plain.clone(), looping.clone()),
            (looping.clone(), plain.clone()),
            (looping.clone(), looping.clone()),
        ] {
            let result = check_on_small_stack(old, new);
            assert!(
                matches!(result, Err(CompatError::UnguardedRecursion { .. })),
                "{combinator}: {result:?}"
            );
        }
    }
}

/// Definitions `d0 … d{n}`, each wrapping the next as `wrap` says: deep schemas from a
/// shallow document (a parsed document nests at most 128 levels; references chain without
/// limit).
fn chain(levels: usize, wrap: impl Fn(Value) -> Value) -> Value {
    let mut definitions = Map::new();
    for level in 0..levels {
        let next = json!({"$ref": format!("#/definitions/d{}", level + 1)});
        definitions.insert(format!("d{level}"), wrap(next));
    }
    definitions.insert(format!("d{levels}"), json!({"type": "string"}));
    json!({"definitions": definitions, "$ref": "#/definitions/d0"})
}

#[test]
fn nesting_past_the_limit_is_a_typed_error_at_any_depth() {
    let through_properties = chain(
        5_000,
        |next| json!({"type": "object", "properties": {"a": next}}),
    );
    let through_combinators = chain(5_000, |next| json!({"anyOf": [next, {"type": "null"}]}));
    let through_references = chain(5_000, |next| next);
    for deep in [through_properties, through_combinators, through_references] {
        let result = check_on_small_stack(deep.clone(), deep);
        assert!(
            matches!(result, Err(CompatError::TooDeep { .. })),
            "{result:?}"
        );
    }
}

#[test]
fn a_reference_loop_through_definitions_alone_is_a_typed_error() {
    let looping = json!({
        "definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"anyOf": [{"$ref": "#/definitions/a"}]}},
        "$ref": "#/definitions/a"
    });
    let result = check_on_small_stack(looping.clone(), looping);
    assert!(
        matches!(result, Err(CompatError::UnguardedRecursion { .. })),
        "{result:?}"
    );
}

/// Definitions `d0 … d{n-1}`, each an object whose two properties both refer to the next: a
/// document whose paths double with each level.
fn doubling_chain(levels: usize, leaf: Value) -> Value {
    let mut definitions = Map::new();
    for level in 0..levels {
        let next = json!({"$ref": format!("#/definitions/d{}", level + 1)});
        definitions.insert(
            format!("d{level}"),
            json!({"type": "object", "properties": {"a": next, "b": next}, "additionalProperties": false}),
        );
    }
    definitions.insert(format!("d{levels}"), leaf);
    json!({"definitions": definitions, "$ref": "#/definitions/d0"})
}

#[test]
fn definitions_that_each_refer_to_the_next_twice_take_linear_work() {
    // 2^60 paths: without reusing each pair's result this would not finish.
    let old = doubling_chain(60, json!({"type": "string", "maxLength": 10}));
    let same = check_on_small_stack(old.clone(), old.clone()).expect("checked");
    assert_eq!(same, (true, vec![]), "a document is compatible with itself");

    let new = doubling_chain(60, json!({"type": "string", "maxLength": 5}));
    let (compatible, kinds) = check_on_small_stack(old, new).expect("checked");
    assert!(!compatible, "a narrowed leaf breaks backward compatibility");
    assert!(kinds.contains(&ChangeKind::MaxLengthDecreased), "{kinds:?}");
    assert!(kinds.len() <= 2 * MAX_DIFFERENCES, "{} listed", kinds.len());
}

#[test]
fn very_many_properties_and_branches_finish() {
    let properties: Map<String, Value> = (0..20_000)
        .map(|i| (format!("p{i}"), json!({"type": "integer"})))
        .collect();
    let required: Vec<String> = (0..20_000).map(|i| format!("p{i}")).collect();
    let wide = json!({"type": "object", "properties": properties, "required": required});
    let (compatible, _) = check_on_small_stack(wide.clone(), wide).expect("checked");
    assert!(compatible);

    // 1 000 × 1 000 branches: past the comparison budget, a typed error.
    let branches: Vec<Value> = (0..1_000)
        .map(|i| json!({"type": "object", "properties": {format!("b{i}"): {"const": i}}}))
        .collect();
    let many = json!({"anyOf": branches});
    let mut other = many.clone();
    other["anyOf"][0]["properties"]["b0"]["const"] = json!(-1);
    let result = check_on_small_stack(many, other);
    assert!(
        matches!(result, Err(CompatError::TooComplex { .. })),
        "{result:?}"
    );
}

#[test]
fn many_pattern_properties_are_compiled_once_and_huge_patterns_refused() {
    let patterns: Map<String, Value> = (0..200)
        .map(|i| (format!("^x{i}_[a-z]+$"), json!({"type": "string"})))
        .collect();
    let properties: Map<String, Value> = (0..2_000)
        .map(|i| (format!("y{i}"), json!({"type": "string"})))
        .collect();
    let old = json!({"type": "object", "properties": properties, "patternProperties": patterns, "additionalProperties": false});
    let mut new = old.clone();
    new["properties"] = json!({});
    let result = check_on_small_stack(old, new);
    assert!(result.is_ok(), "{result:?}");

    let huge = json!({"type": "object", "properties": {"a": {}}, "patternProperties": {"(a{1,1000}){1,1000}": {}}, "additionalProperties": false});
    let result = check_on_small_stack(
        huge.clone(),
        json!({"type": "object", "patternProperties": {"(a{1,1000}){1,1000}": {}}, "additionalProperties": false}),
    );
    assert!(
        result.is_ok(),
        "a pattern too large to compile matches nothing: {result:?}"
    );
}

#[test]
fn a_definition_compared_once_is_reported_at_every_place_that_uses_it() {
    let document = |max: u64| {
        json!({
            "definitions": {"name": {"type": "string", "maxLength": max}},
            "type": "object",
            "properties": {"a": {"$ref": "#/definitions/name"}, "b": {"$ref": "#/definitions/name"}}
        })
    };
    let found = event_core::compat::diff(
        &document(10),
        &document(5),
        event_core::compat::CompatPolicy::Strict,
    )
    .expect("checked");
    assert_eq!(
        found,
        [
            (
                ChangeKind::MaxLengthDecreased,
                "#/properties/a/maxLength".to_owned()
            ),
            (
                ChangeKind::MaxLengthDecreased,
                "#/properties/b/maxLength".to_owned()
            ),
        ]
    );
}
