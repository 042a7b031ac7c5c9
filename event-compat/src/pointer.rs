//! JSON Pointer (RFC 6901): the one segment escape of kafka-events, used by the checker's
//! change pointers and by `event-core`'s validation and codec errors.

/// Escapes one JSON Pointer segment: `~` → `~0`, `/` → `~1`.
///
/// ```
/// use event_compat::escape_segment;
/// assert_eq!(escape_segment("a/b~c"), "a~1b~0c");
/// ```
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
