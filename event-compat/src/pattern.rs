//! Patterns of `patternProperties`, matched as Confluent does (`find`, not a full match).

/// Whether `pattern` matches somewhere in `text`. A pattern that does not compile matches
/// nothing.
pub(crate) fn find(pattern: &str, text: &str) -> bool {
    regex::Regex::new(pattern).is_ok_and(|regex| regex.is_match(text))
}
