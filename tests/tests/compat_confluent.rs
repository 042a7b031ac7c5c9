//! The checker against Confluent Schema Registry's verdicts: one case per scenario of the
//! registry's published JSON Schema diff and combined-schema diff examples
//! (`tests/compat/confluent-cases.json`, written
//! for this project with the registry's verdicts and change kinds). Every case must agree on
//! the list of changes and on `compatible` under both policies.

use event_core::compat::{check_history, diff, CompatMode, CompatPolicy};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = include_str!("../compat/confluent-cases.json");
    serde_json::from_str(text).expect("the case file is JSON")
}

#[test]
fn every_case_agrees_with_the_registry() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case["name"].as_str().unwrap_or("?");
        let (old, new) = (&case["old"], &case["new"]);
        let expected: Vec<&str> = case["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let found: Vec<String> = diff(old, new, CompatPolicy::Strict)
            .expect("comparable")
            .into_iter()
            .map(|(kind, pointer)| format!("{kind} {pointer}"))
            .collect();
        if found != expected {
            failures.push(format!(
                "{name}: changes\n    expected {expected:?}\n    found    {found:?}"
            ));
        }
        let strict = case["compatible"].as_bool().expect("compatible");
        let lenient = case
            .get("compatible_lenient")
            .and_then(Value::as_bool)
            .unwrap_or(strict);
        for (policy, expected) in [
            (CompatPolicy::Strict, strict),
            (CompatPolicy::Lenient, lenient),
        ] {
            let report =
                check_history(std::slice::from_ref(old), new, CompatMode::Backward, policy)
                    .expect("comparable");
            if report.is_compatible() != expected {
                failures.push(format!("{name}: {policy:?} verdict expected {expected}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_case_file_covers_many_kinds() {
    let kinds: std::collections::BTreeSet<String> = cases()
        .iter()
        .flat_map(|c| c["changes"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| {
            c.as_str()
                .and_then(|s| s.split(' ').next())
                .map(str::to_owned)
        })
        .collect();
    assert!(kinds.len() >= 60, "{} kinds: {kinds:?}", kinds.len());
}
