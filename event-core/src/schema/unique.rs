//! `uniqueItems` in linear time: short arrays compare their items pairwise, long ones by the
//! canonical JSON of each item in a hash set, so an attacker's array of thousands of distinct
//! items costs thousands of steps, not millions.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;

/// Arrays up to this length compare their items pairwise (at most 496 comparisons, no
/// allocation); longer ones hash.
const PAIRWISE_UP_TO: usize = 32;

/// Whether two of `items` are equal: by `==` for short arrays, by canonical JSON (object keys
/// sorted, `-0` as `0`, integral floats as integers: JSON Schema's equality) for long ones.
/// For items whose `PartialEq` and `Serialize` are derived the two agree.
pub(crate) fn has_duplicates<'a, T>(items: impl ExactSizeIterator<Item = &'a T> + Clone) -> bool
where
    T: PartialEq + Serialize + 'a,
{
    if items.len() <= PAIRWISE_UP_TO {
        return pairwise(items);
    }
    let mut seen = HashSet::with_capacity(items.len());
    for item in items.clone() {
        match serde_json::to_value(item) {
            Ok(value) => {
                let mut key = Vec::new();
                write_canonical(&value, &mut key);
                if !seen.insert(key) {
                    return true;
                }
            }
            // An item that cannot be written as JSON (a map with non-string keys) cannot be
            // hashed: fall back to `==`.
            Err(_) => return pairwise(items),
        }
    }
    false
}

fn pairwise<'a, T: PartialEq + 'a>(items: impl Iterator<Item = &'a T> + Clone) -> bool {
    let mut rest = items.clone();
    items.into_iter().any(|a| {
        rest.next();
        rest.clone().any(|b| a == b)
    })
}

/// `value` as bytes equal for JSON-equal values.
fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.push(b'n'),
        Value::Bool(flag) => out.push(if *flag { b't' } else { b'f' }),
        Value::Number(number) => {
            out.push(b'#');
            if let Some(integer) = number.as_i64() {
                out.extend_from_slice(integer.to_string().as_bytes());
            } else if let Some(integer) = number.as_u64() {
                out.extend_from_slice(integer.to_string().as_bytes());
            } else if let Some(float) = number.as_f64() {
                let integral = float.fract() == 0.0 && float.abs() < 9.0e15;
                let text = if integral {
                    (float as i64).to_string()
                } else {
                    float.to_string()
                };
                out.extend_from_slice(text.as_bytes());
            }
            out.push(b';');
        }
        Value::String(text) => {
            out.push(b's');
            out.extend_from_slice(text.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(text.as_bytes());
        }
        Value::Array(items) => {
            out.push(b'[');
            for item in items {
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (key, item) in entries {
                out.extend_from_slice(key.len().to_string().as_bytes());
                out.push(b':');
                out.extend_from_slice(key.as_bytes());
                write_canonical(item, out);
            }
            out.push(b'}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn long_arrays_find_a_repeat_anywhere_and_short_ones_too() {
        let mut long: Vec<u64> = (0..10_000).collect();
        assert!(!has_duplicates(long.iter()));
        long.push(4_321);
        assert!(has_duplicates(long.iter()));
        assert!(has_duplicates([1, 2, 1].iter()));
        assert!(!has_duplicates([1, 2, 3].iter()));
    }

    #[test]
    fn canonical_json_is_json_equality() {
        let canonical = |value: Value| {
            let mut out = Vec::new();
            write_canonical(&value, &mut out);
            out
        };
        assert_eq!(
            canonical(serde_json::json!(-0.0)),
            canonical(serde_json::json!(0))
        );
        assert_eq!(
            canonical(serde_json::json!(2.0)),
            canonical(serde_json::json!(2))
        );
        assert_ne!(
            canonical(serde_json::json!(2.5)),
            canonical(serde_json::json!(2))
        );
        assert_eq!(
            canonical(serde_json::json!({"a": 1, "b": 2})),
            canonical(serde_json::json!({"b": 2, "a": 1}))
        );
        assert_ne!(
            canonical(serde_json::json!(["ab", "c"])),
            canonical(serde_json::json!(["a", "bc"]))
        );
    }

    #[test]
    fn maps_equal_in_any_order_are_repeats() {
        let items: Vec<HashMap<String, u8>> = (0..40)
            .map(|i| HashMap::from([("a".to_owned(), i), ("b".to_owned(), 0)]))
            .chain([HashMap::from([("b".to_owned(), 0), ("a".to_owned(), 3)])])
            .collect();
        assert!(has_duplicates(items.iter()));
    }
}
