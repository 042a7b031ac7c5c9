//! The checks generated code calls, one per keyword: small, inlined, allocation-free unless a
//! violation is found. Lengths count Unicode code points, as JSON Schema does. A violation names
//! the rule and its limit, never the value (which may be personal data).

use super::{Location, Violation};
use crate::schema::{NumberValue, UniqueItems};

#[cold]
fn push(errors: &mut Vec<Violation>, at: &Location<'_>, keyword: &'static str, message: String) {
    errors.push(Violation {
        pointer: at.pointer(),
        keyword,
        message,
    });
}

/// Code points of `text`, counted only as far as needed: bytes are an upper bound.
fn code_points(text: &str) -> u64 {
    if text.is_ascii() {
        text.len() as u64
    } else {
        text.chars().count() as u64
    }
}

/// `maxLength`.
#[inline]
pub fn check_max_length(
    value: Option<&str>,
    limit: u64,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    if let Some(text) = value {
        if text.len() as u64 > limit && code_points(text) > limit {
            push(
                errors,
                at,
                "maxLength",
                format!("more than {limit} characters"),
            );
        }
    }
}

/// `minLength`.
#[inline]
pub fn check_min_length(
    value: Option<&str>,
    limit: u64,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    if let Some(text) = value {
        // A code point has at most four bytes: four bytes per character needed are enough.
        if (text.len() as u64) < limit.saturating_mul(4) && code_points(text) < limit {
            push(
                errors,
                at,
                "minLength",
                format!("fewer than {limit} characters"),
            );
        }
    }
}

/// `pattern` (a match anywhere, as JSON Schema's ECMA-262 patterns do). The pattern is
/// compiled once per field; `None` means it did not compile, which fails every value.
#[inline]
pub fn check_pattern(
    value: Option<&str>,
    pattern: Option<&super::Pattern>,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    if let Some(text) = value {
        match pattern {
            Some(pattern) if pattern.is_match(text) => {}
            Some(pattern) => push(
                errors,
                at,
                "pattern",
                format!("does not match `{}`", pattern.as_str()),
            ),
            None => push(
                errors,
                at,
                "pattern",
                "the pattern does not compile".to_owned(),
            ),
        }
    }
}

/// `format`, for the formats this validator knows (others are annotations).
#[inline]
pub fn check_format(
    value: Option<&str>,
    format: &'static str,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    if let Some(text) = value {
        if !is_format(text, format) {
            push(errors, at, "format", format!("is not a valid {format}"));
        }
    }
}

/// Whether `text` is of `format`: each of the Draft 7 formats the derive accepts (and `uuid`)
/// is checked by its specification, with a well-kept parser where one exists. Unknown formats
/// accept everything, as Draft 7 allows.
///
/// ```
/// use event_core::validate::is_format;
/// assert!(is_format("ops@example.com", "email") && !is_format("not-@-an address", "email"));
/// assert!(is_format("https://example.com/a?b#c", "uri") && !is_format("/relative", "uri"));
/// assert!(is_format("/relative", "uri-reference"));
/// assert!(is_format("/players/~0id", "json-pointer") && !is_format("players", "json-pointer"));
/// assert!(is_format("18:04:12.5Z", "time") && !is_format("25:00:00Z", "time"));
/// ```
pub fn is_format(text: &str, format: &str) -> bool {
    match format {
        "ipv4" => text.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => text.parse::<std::net::Ipv6Addr>().is_ok(),
        "uuid" => uuid::Uuid::try_parse(text).is_ok(),
        "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        "date" => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        // RFC 3339 full-time: a time of day with its offset.
        "time" => chrono::DateTime::parse_from_rfc3339(&format!("1970-01-01T{text}")).is_ok(),
        // RFC 5321 (ASCII) and RFC 6531 (UTF-8) mailboxes.
        "email" => text.is_ascii() && email_address::EmailAddress::is_valid(text),
        "idn-email" => email_address::EmailAddress::is_valid(text),
        "hostname" => is_hostname(text),
        "idn-hostname" => idna::domain_to_ascii_strict(text).is_ok_and(|ascii| is_hostname(&ascii)),
        // RFC 3986 and RFC 3987.
        "uri" => fluent_uri::Uri::parse(text).is_ok(),
        "uri-reference" => fluent_uri::UriRef::parse(text).is_ok(),
        "iri" => fluent_uri::Iri::parse(text).is_ok(),
        "iri-reference" => fluent_uri::IriRef::parse(text).is_ok(),
        "uri-template" => is_uri_template(text),
        "json-pointer" => is_json_pointer(text),
        "relative-json-pointer" => is_relative_json_pointer(text),
        // As the `regex` crate reads it (Draft 7 names ECMA-262; the common syntax agrees).
        "regex" => regex::Regex::new(text).is_ok(),
        _ => true,
    }
}

/// RFC 6901: empty, or `/`-separated tokens in which `~` is followed by `0` or `1`.
fn is_json_pointer(text: &str) -> bool {
    (text.is_empty() || text.starts_with('/'))
        && text
            .split('~')
            .skip(1)
            .all(|rest| rest.starts_with('0') || rest.starts_with('1'))
}

/// draft-handrews-relative-json-pointer: a non-negative integer without leading zeros, then
/// `#` or a JSON pointer.
fn is_relative_json_pointer(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = text.split_at(digits);
    !number.is_empty()
        && (number == "0" || !number.starts_with('0'))
        && (rest == "#" || is_json_pointer(rest))
}

/// RFC 6570 (level 4): literals, and expressions `{op? varspec, ...}` with `varspec` a name
/// and an optional `:length` (1 to 9999) or `*`.
fn is_uri_template(text: &str) -> bool {
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return false;
        }
        let Some(close) = rest[open..].find('}') else {
            return false;
        };
        let expression = &rest[open + 1..open + close];
        let variables = expression
            .strip_prefix(['+', '#', '.', '/', ';', '?', '&', '=', ',', '!', '@', '|'])
            .unwrap_or(expression);
        if !variables.split(',').all(is_varspec) {
            return false;
        }
        rest = &rest[open + close + 1..];
    }
    true
}

fn is_varspec(spec: &str) -> bool {
    let (name, modifier) = match spec.find([':', '*']) {
        Some(at) => spec.split_at(at),
        None => (spec, ""),
    };
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'%');
    let modifier_ok = match modifier.strip_prefix(':') {
        Some(length) => {
            (1..=4).contains(&length.len())
                && !length.starts_with('0')
                && length.bytes().all(|b| b.is_ascii_digit())
        }
        None => modifier.is_empty() || modifier == "*",
    };
    name_ok && modifier_ok
}

/// RFC 1123 host names: dot-separated labels of 1 to 63 letters, digits and inner hyphens.
fn is_hostname(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn compare(value: NumberValue, limit: NumberValue) -> Option<std::cmp::Ordering> {
    match (value, limit) {
        (NumberValue::Int(a), NumberValue::Int(b)) => Some(a.cmp(&b)),
        (NumberValue::Int(a), NumberValue::Float(b)) => (a as f64).partial_cmp(&b),
        (NumberValue::Float(a), NumberValue::Int(b)) => a.partial_cmp(&(b as f64)),
        (NumberValue::Float(a), NumberValue::Float(b)) => a.partial_cmp(&b),
    }
}

fn show(number: NumberValue) -> String {
    match number {
        NumberValue::Int(i) => i.to_string(),
        NumberValue::Float(f) => f.to_string(),
    }
}

#[cold]
fn out_of_bound(
    keyword: &'static str,
    limit: NumberValue,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    push(
        errors,
        at,
        keyword,
        format!("outside the {keyword} {}", show(limit)),
    );
}

macro_rules! bound_check {
    ($(#[$doc:meta] $name:ident, $keyword:literal, $ok:pat => ;)*) => {$(
        #[$doc]
        #[inline]
        pub fn $name(value: Option<NumberValue>, limit: NumberValue, at: &Location<'_>, errors: &mut Vec<Violation>) {
            #[allow(unused_imports)]
            use std::cmp::Ordering::{Equal, Greater, Less};
            let Some(number) = value else { return };
            if !matches!(compare(number, limit), $ok) {
                out_of_bound($keyword, limit, at, errors);
            }
        }
    )*};
}
bound_check! {
    /// `minimum`.
    check_minimum, "minimum", Some(Greater | Equal) => ;
    /// `maximum`.
    check_maximum, "maximum", Some(Less | Equal) => ;
    /// `exclusiveMinimum`.
    check_exclusive_minimum, "exclusiveMinimum", Some(Greater) => ;
    /// `exclusiveMaximum`.
    check_exclusive_maximum, "exclusiveMaximum", Some(Less) => ;
}

/// `multipleOf`.
#[inline]
pub fn check_multiple_of(
    value: Option<NumberValue>,
    factor: NumberValue,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    let Some(number) = value else { return };
    let ok = match (number, factor) {
        (NumberValue::Int(a), NumberValue::Int(b)) => b != 0 && a % b == 0,
        (a, b) => {
            let (a, b) = (as_f64(a), as_f64(b));
            let ratio = a / b;
            b != 0.0 && (ratio - ratio.round()).abs() <= 1e-9 * ratio.abs().max(1.0)
        }
    };
    if !ok {
        push(
            errors,
            at,
            "multipleOf",
            format!("not a multiple of {}", show(factor)),
        );
    }
}

fn as_f64(number: NumberValue) -> f64 {
    match number {
        NumberValue::Int(i) => i as f64,
        NumberValue::Float(f) => f,
    }
}

/// `minItems`.
#[inline]
pub fn check_min_items(
    count: Option<usize>,
    limit: u64,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    if let Some(count) = count {
        if (count as u64) < limit {
            push(
                errors,
                at,
                "minItems",
                format!("{count} items, at least {limit} needed"),
            );
        }
    }
}

/// `maxItems`.
#[inline]
pub fn check_max_items(
    count: Option<usize>,
    limit: u64,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    if let Some(count) = count {
        if count as u64 > limit {
            push(
                errors,
                at,
                "maxItems",
                format!("{count} items, at most {limit} allowed"),
            );
        }
    }
}

/// `uniqueItems`. Not looked for when the array already broke its `maxItems` (the check
/// before it): an array over its bound is rejected anyway, and comparing its items would cost
/// work that grows with the square of an attacker's input.
#[inline]
pub fn check_unique_items<T: UniqueItems + ?Sized>(
    value: &T,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    let over_bound = errors
        .last()
        .is_some_and(|last| last.keyword == "maxItems" && last.pointer == at.pointer());
    if !over_bound && value.has_duplicates() {
        push(errors, at, "uniqueItems", "items repeat".to_owned());
    }
}

/// A float must be finite: serde_json writes NaN and infinities as `null`.
#[inline]
pub fn check_finite(value: f64, at: &Location<'_>, errors: &mut Vec<Violation>) {
    if !value.is_finite() {
        push(
            errors,
            at,
            "type",
            "not a finite number (it would be written as null)".to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(check: impl FnOnce(&Location<'_>, &mut Vec<Violation>)) -> Vec<&'static str> {
        let mut errors = Vec::new();
        check(&Location::ROOT, &mut errors);
        errors.iter().map(|e| e.keyword).collect()
    }

    #[test]
    fn lengths_count_code_points() {
        assert!(run(|at, e| check_max_length(Some("éé"), 2, at, e)).is_empty());
        assert_eq!(
            run(|at, e| check_max_length(Some("ééé"), 2, at, e)),
            ["maxLength"]
        );
        assert_eq!(
            run(|at, e| check_min_length(Some("é"), 2, at, e)),
            ["minLength"]
        );
        assert!(run(|at, e| check_max_length(None, 0, at, e)).is_empty());
    }

    #[test]
    fn bounds_are_exact_for_large_integers() {
        let big = NumberValue::Int(u64::MAX as i128);
        assert!(run(|at, e| check_maximum(Some(big), big, at, e)).is_empty());
        assert_eq!(
            run(|at, e| check_maximum(
                Some(NumberValue::Int(u64::MAX as i128)),
                NumberValue::Int(u64::MAX as i128 - 1),
                at,
                e
            )),
            ["maximum"]
        );
        assert_eq!(
            run(|at, e| check_exclusive_minimum(
                Some(NumberValue::Int(0)),
                NumberValue::Int(0),
                at,
                e
            )),
            ["exclusiveMinimum"]
        );
        assert_eq!(
            run(|at, e| check_multiple_of(Some(NumberValue::Int(7)), NumberValue::Int(5), at, e)),
            ["multipleOf"]
        );
        assert!(run(|at, e| check_multiple_of(
            Some(NumberValue::Float(0.3)),
            NumberValue::Float(0.1),
            at,
            e
        ))
        .is_empty());
    }

    #[test]
    fn formats() {
        assert!(is_format("10.0.0.1", "ipv4") && !is_format("10.0.0.256", "ipv4"));
        assert!(is_format("game-1.example", "hostname") && !is_format("-bad", "hostname"));
        assert!(
            is_format("bücher.example", "idn-hostname") && !is_format("bücher.example", "hostname")
        );
        assert!(
            is_format("jöran@bücher.example", "idn-email")
                && !is_format("jöran@bücher.example", "email")
        );
        assert!(!is_format("a@b@c", "email") && !is_format("@example.com", "email"));
        assert!(
            is_format("https://example.com/ü", "iri") && !is_format("https://example.com/ü", "uri")
        );
        assert!(is_format("../ü", "iri-reference") && !is_format("http://[bad", "uri-reference"));
        assert!(is_format("/players/{id}{?fields*,page:3}", "uri-template"));
        assert!(!is_format("/players/{id", "uri-template") && !is_format("/a}", "uri-template"));
        assert!(!is_format("{bad name}", "uri-template") && !is_format("{x:0}", "uri-template"));
        assert!(
            is_format("0#", "relative-json-pointer")
                && is_format("1/a~1b", "relative-json-pointer")
        );
        assert!(!is_format("01/a", "relative-json-pointer") && !is_format("/a~2", "json-pointer"));
        assert!(is_format("^[a-z]+$", "regex") && !is_format("([a-z]", "regex"));
        assert!(is_format("23:59:60+01:00", "time") || is_format("23:59:59+01:00", "time"));
        assert!(
            is_format("2026-11-20T18:04:12Z", "date-time") && !is_format("yesterday", "date-time")
        );
    }
}
