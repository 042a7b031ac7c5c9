//! The checker's own behaviour: modes and histories, both directions of every case, other
//! drafts, recursion, bad input, and soundness against real data.

use event_core::compat::{
    check, check_history, check_history_with, diff, diff_with, ChangeKind, CheckOptions,
    CompatError, CompatMode, CompatPolicy, Direction,
};
use serde_json::{json, Value};

fn closed(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
}

#[test]
fn forward_is_the_backward_diff_swapped_and_full_is_both() {
    let old = closed(json!({"a": {"type": "string"}}), &["a"]);
    let new = closed(
        json!({"a": {"type": "string"}, "b": {"type": "integer"}}),
        &["a"],
    );
    let backward = check(&old, &new, CompatMode::Backward).unwrap();
    assert!(backward.is_compatible());
    assert_eq!(
        backward.changes()[0].kind,
        ChangeKind::OptionalPropertyAddedToUnopenContentModel
    );
    let forward = check(&old, &new, CompatMode::Forward).unwrap();
    assert!(!forward.is_compatible());
    assert_eq!(
        forward.changes()[0].kind,
        ChangeKind::PropertyRemovedFromClosedContentModel
    );
    assert_eq!(forward.changes()[0].direction, Direction::Forward);
    let full = check(&old, &new, CompatMode::Full).unwrap();
    assert!(!full.is_compatible());
    assert_eq!(full.changes().len(), 2);
    let none = check(&old, &json!({"type": "number"}), CompatMode::None).unwrap();
    assert!(none.is_compatible() && none.changes().is_empty());
}

#[test]
fn transitive_modes_check_every_earlier_version() {
    let v1 = closed(json!({"a": {"type": "string", "maxLength": 4}}), &[]);
    let v2 = closed(json!({"a": {"type": "string", "maxLength": 8}}), &[]);
    let v3 = closed(json!({"a": {"type": "string", "maxLength": 6}}), &[]);
    let history = [v1, v2];
    // against the latest only (v2: 8 -> 6 breaks) and against all
    let latest = check_history(&history, &v3, CompatMode::Backward, CompatPolicy::Strict).unwrap();
    assert!(!latest.is_compatible());
    assert!(latest.changes().iter().all(|c| c.against == 1));
    let all = check_history(
        &history,
        &v3,
        CompatMode::BackwardTransitive,
        CompatPolicy::Strict,
    )
    .unwrap();
    let against: Vec<usize> = all.changes().iter().map(|c| c.against).collect();
    assert_eq!(against, [0, 1]);
    assert!(all.changes()[0].compatible && !all.changes()[1].compatible);
    assert_eq!(
        check_history(&[], &history[0], CompatMode::Backward, CompatPolicy::Strict),
        Err(CompatError::EmptyHistory)
    );
}

#[test]
fn every_case_has_differences_in_both_directions() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("../compat/confluent-cases.json")).unwrap();
    for case in cases {
        let forward = diff(&case["old"], &case["new"], CompatPolicy::Strict).unwrap();
        let backward = diff(&case["new"], &case["old"], CompatPolicy::Strict).unwrap();
        if !forward.is_empty() {
            assert!(
                !backward.is_empty(),
                "{}: a change is seen from both sides",
                case["name"]
            );
        }
        // what widens one way narrows the other: a compatible widening reverses to a break
        let widening = [
            ChangeKind::MaxLengthIncreased,
            ChangeKind::EnumArrayExtended,
            ChangeKind::TypeExtended,
        ];
        if forward.iter().any(|(k, _)| widening.contains(k)) && forward.len() == 1 {
            let report = check(&case["new"], &case["old"], CompatMode::Backward).unwrap();
            assert!(!report.is_compatible(), "{} reversed", case["name"]);
        }
    }
}

#[test]
fn documents_of_2019_09_and_2020_12_use_their_own_keywords() {
    let draft2020 = "https://json-schema.org/draft/2020-12/schema";
    let old = json!({"$schema": draft2020, "type": "array",
        "prefixItems": [{"$ref": "#/$defs/name"}], "items": false,
        "$defs": {"name": {"type": "string", "maxLength": 8}}});
    let new = json!({"$schema": draft2020, "type": "array",
        "prefixItems": [{"$ref": "#/$defs/name"}, {"type": "integer"}], "items": false,
        "$defs": {"name": {"type": "string", "maxLength": 4}}});
    let changes = diff(&old, &new, CompatPolicy::Strict).unwrap();
    assert_eq!(
        changes,
        vec![
            (
                ChangeKind::MaxLengthDecreased,
                "#/items/0/maxLength".to_owned()
            ),
            (
                ChangeKind::ItemAddedToClosedContentModel,
                "#/items/1".to_owned()
            ),
        ]
    );
    let draft2019 = "https://json-schema.org/draft/2019-09/schema";
    let old = json!({"$schema": draft2019, "type": "object", "properties": {"a": {"type": "string"}},
        "dependentRequired": {"a": ["b"]}, "unevaluatedProperties": false});
    let new = json!({"$schema": draft2019, "type": "object", "properties": {"a": {"type": "string"}},
        "dependentRequired": {"a": ["b", "c"]}, "unevaluatedProperties": false});
    let changes = diff(&old, &new, CompatPolicy::Strict).unwrap();
    assert_eq!(
        changes,
        vec![(
            ChangeKind::DependencyArrayExtended,
            "#/dependencies/a".to_owned()
        )]
    );
    // in 2019-09 a property removed from a model closed by unevaluatedProperties breaks
    let removed = json!({"$schema": draft2019, "type": "object", "properties": {}, "unevaluatedProperties": false});
    assert!(!check(&old, &removed, CompatMode::Backward)
        .unwrap()
        .is_compatible());
}

#[test]
fn recursive_references_terminate() {
    let tree = |max: u64| {
        json!({"$ref": "#/definitions/node", "definitions": {"node": {"type": "object",
            "properties": {"value": {"type": "integer", "maximum": max},
                           "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}}})
    };
    assert!(check(&tree(10), &tree(10), CompatMode::FullTransitive)
        .unwrap()
        .changes()
        .is_empty());
    let report = check(&tree(10), &tree(5), CompatMode::Backward).unwrap();
    assert_eq!(report.changes()[0].pointer, "#/properties/value/maximum");
}

#[test]
fn bad_input_is_a_typed_error() {
    let schema = json!({"type": "string"});
    assert!(matches!(
        check(&json!(42), &schema, CompatMode::Backward),
        Err(CompatError::NotASchema { .. })
    ));
    let error = check(
        &json!({"properties": {"a": 7}}),
        &json!({"properties": {"a": 8}}),
        CompatMode::Backward,
    )
    .unwrap_err();
    assert_eq!(
        error,
        CompatError::NotASchema {
            pointer: "#/properties/a".to_owned(),
            found: "a number"
        }
    );
    let error = check(
        &json!({"$ref": "#/definitions/missing"}),
        &schema,
        CompatMode::Backward,
    )
    .unwrap_err();
    assert!(
        matches!(error, CompatError::UnresolvableRef { ref reference, .. } if reference == "#/definitions/missing")
    );
    assert!(error.to_string().contains("#/definitions/missing"));
    let remote = check(
        &json!({"$ref": "https://example.com/s.json"}),
        &schema,
        CompatMode::Backward,
    );
    assert!(matches!(remote, Err(CompatError::UnresolvableRef { .. })));
}

fn nested(depth: usize) -> Value {
    // Built by moving values (json! would re-serialise the whole tree at every level).
    let mut schema = json!({"type": "string"});
    for _ in 0..depth {
        let mut properties = serde_json::Map::new();
        properties.insert("n".to_owned(), schema);
        let mut object = serde_json::Map::new();
        object.insert("type".to_owned(), json!("object"));
        object.insert("properties".to_owned(), Value::Object(properties));
        schema = Value::Object(object);
    }
    schema
}

#[test]
fn ten_thousand_levels_of_nesting_is_an_error_not_a_stack_overflow() {
    // Run on a thread with a small stack: the limit, not the stack, must stop the recursion.
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let deep = nested(10_000);
            let result = check(&deep, &deep, CompatMode::Full);
            // Drop the deep values iteratively-safe: serde_json drops recursively, so leak them.
            std::mem::forget(deep);
            result
        })
        .unwrap();
    let result = handle.join().expect("no stack overflow");
    assert!(
        matches!(result, Err(CompatError::TooDeep { .. })),
        "{result:?}"
    );
}

/// One hand-written pair per kind the registry's examples do not exercise
/// (`tests/compat/kind-cases.json`): the kind is found where expected, with the expected
/// verdict, and the reverse pair differs too. With the registry's cases, every kind is covered.
#[test]
fn every_change_kind_is_covered_in_both_directions() {
    let pairs: Vec<Value> =
        serde_json::from_str(include_str!("../compat/kind-cases.json")).unwrap();
    let mut covered: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for pair in &pairs {
        let kind = pair["kind"].as_str().unwrap();
        // kafka-events' own kinds show only without Confluent's blind spots.
        let options = CheckOptions {
            confluent_quirks: pair["confluent_quirks"].as_bool().unwrap_or(true),
            ..CheckOptions::default()
        };
        let found = diff_with(&pair["old"], &pair["new"], options).unwrap();
        let expected = (
            ChangeKind::from_name(kind).unwrap(),
            pair["pointer"].as_str().unwrap().to_owned(),
        );
        assert!(found.contains(&expected), "{kind}: found {found:?}");
        let verdict = check_history_with(
            std::slice::from_ref(&pair["old"]),
            &pair["new"],
            CompatMode::Backward,
            options,
        )
        .unwrap()
        .is_compatible();
        assert_eq!(verdict, pair["compatible"].as_bool().unwrap(), "{kind}");
        assert!(
            !diff_with(&pair["new"], &pair["old"], options)
                .unwrap()
                .is_empty(),
            "{kind} reversed"
        );
        covered.insert(kind.to_owned());
    }
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("../compat/confluent-cases.json")).unwrap();
    for case in &cases {
        for change in case["changes"].as_array().unwrap() {
            covered.insert(
                change
                    .as_str()
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    let missing: Vec<&str> = ChangeKind::ALL
        .iter()
        .map(|k| k.name())
        .filter(|name| !covered.contains(*name) && *name != "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")
        .collect();
    assert!(missing.is_empty(), "kinds without a test pair: {missing:?}");
}

/// Breaking changes the soundness oracle found called compatible (each was a false
/// "compatible" that would have let a breaking change through the gate); with Confluent's
/// quirks the checker still answers as the registry does.
#[test]
fn corners_the_oracle_found_are_breaking_without_confluents_blind_spots() {
    let strict = CheckOptions {
        confluent_quirks: false,
        ..CheckOptions::default()
    };
    let verdict = |old: &Value, new: &Value, options: CheckOptions| {
        check_history_with(
            std::slice::from_ref(old),
            new,
            CompatMode::Backward,
            options,
        )
        .unwrap()
        .is_compatible()
    };
    let cases = [
        // oneOf gained a branch that overlaps another: 4 now matches two.
        (
            json!({"oneOf": [{"type": "integer", "minimum": 4}, {"type": "string"}]}),
            json!({"oneOf": [{"type": "integer", "minimum": 4}, {"type": "string"}, {"type": "integer"}]}),
        ),
        // A repeated branch: a boolean matches both copies.
        (
            json!({"oneOf": [{"type": "boolean"}, {"type": "string"}]}),
            json!({"oneOf": [{"type": "boolean"}, {"type": "string"}, {"type": "boolean"}]}),
        ),
        // A branch of a oneOf loosened (oneOf to anyOf inside) until it overlaps its sibling.
        (
            json!({"oneOf": [{"oneOf": [{"type": "integer", "multipleOf": 2}, {"type": "integer", "minimum": -2}]}, {"type": "number", "maximum": 7}]}),
            json!({"oneOf": [{"anyOf": [{"type": "integer", "multipleOf": 2}, {"type": "integer", "minimum": -2}]}, {"type": "number", "maximum": 7}]}),
        ),
        // A property declared where only patterns constrained names: old data may carry it
        // with any value.
        (
            json!({"type": "object", "properties": {"a": {}}, "patternProperties": {"^a": {"type": "integer"}}}),
            json!({"type": "object", "properties": {"a": {}, "e": {"type": "boolean"}}, "patternProperties": {"^a": {"type": "integer"}}}),
        ),
        // A removed property that two overlapping patterns now cover: it must satisfy both.
        (
            json!({"type": "object", "properties": {"ab": {"type": "string"}}, "patternProperties": {"^a": {"type": "string"}, "b$": {"type": "string", "maxLength": 2}}, "additionalProperties": false}),
            json!({"type": "object", "patternProperties": {"^a": {"type": "string"}, "b$": {"type": "string", "maxLength": 2}}, "additionalProperties": false}),
        ),
    ];
    for (old, new) in &cases {
        assert!(!verdict(old, new, strict), "breaking: {old} -> {new}");
    }
    // A oneOf of distinct types may gain one more: no value can match two.
    let nullable = (
        json!({"oneOf": [{"type": "string"}]}),
        json!({"oneOf": [{"type": "string"}, {"type": "null"}]}),
    );
    assert!(verdict(&nullable.0, &nullable.1, strict));
    assert!(
        verdict(&cases[0].0, &cases[0].1, CheckOptions::default()),
        "Confluent calls it compatible"
    );
}
