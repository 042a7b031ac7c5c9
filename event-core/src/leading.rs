//! The envelope's `event_type` read from the first members of its JSON, without parsing the
//! rest: how a consumer dispatches a record that carries no `event_type` header.

use crate::json::Parser;

/// The members read before giving up: the envelope writes `event_type` second, after
/// `event_id`.
const MEMBERS: usize = 4;

/// The `event_type` of a JSON object whose members up to it (at most [`MEMBERS`]) are plain
/// strings: no escape, no control character, no other kind of value. `None` for anything
/// else, and the caller parses the body instead; the work is bounded by the value's length.
/// The reader's own tokenizer reads it ([`Parser`]), eight bytes at a time.
pub(crate) fn event_type(value: &[u8]) -> Option<&str> {
    let mut parser = Parser::new(value);
    if !parser.begin_object().ok()? {
        return None;
    }
    for _ in 0..MEMBERS {
        let name = parser.key().ok()?;
        let member = parser.plain_string().ok()?;
        if name == b"event_type" {
            return std::str::from_utf8(member).ok();
        }
        if !parser.next_member().ok()? {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::event_type;

    #[test]
    fn reads_the_event_type_after_the_event_id_as_the_envelope_writes_it() {
        let value = br#"{"event_id":"0b6e3ab4-5f3a-4f6e-9d2c-2f1b7c1e8a90","event_type":"combat.session.start","timestamp":"2026-01-01T00:00:00Z"}"#;
        assert_eq!(event_type(value), Some("combat.session.start"));
    }

    #[test]
    fn reads_it_first_or_after_whitespace() {
        assert_eq!(event_type(br#"{"event_type":"a.b.c"}"#), Some("a.b.c"));
        assert_eq!(
            event_type(b" {\n \"event_id\" : \"x\" ,\r\n\t\"event_type\":\"a.b.c\" }"),
            Some("a.b.c")
        );
    }

    #[test]
    fn gives_up_on_anything_but_plain_strings_before_it() {
        // An escape in the name or in a member before it, a number, an object, a truncated
        // value, not an object: the caller parses these.
        assert_eq!(event_type(br#"{"event_type":"a.b\u0063"}"#), None);
        assert_eq!(
            event_type(br#"{"event_id":"\"","event_type":"a.b.c"}"#),
            None
        );
        assert_eq!(event_type(br#"{"n":1,"event_type":"a.b.c"}"#), None);
        assert_eq!(event_type(br#"{"data":{},"event_type":"a.b.c"}"#), None);
        assert_eq!(event_type(br#"{"event_type":"a.b.c"#), None);
        assert_eq!(event_type(br#"["event_type","a.b.c"]"#), None);
        assert_eq!(event_type(b""), None);
        assert_eq!(event_type(b"{\"event_type\":\"a\x01\"}"), None);
    }

    #[test]
    fn reads_at_most_four_members() {
        let fourth = br#"{"a":"1","b":"2","c":"3","event_type":"a.b.c"}"#;
        let fifth = br#"{"a":"1","b":"2","c":"3","d":"4","event_type":"a.b.c"}"#;
        assert_eq!(event_type(fourth), Some("a.b.c"));
        assert_eq!(event_type(fifth), None);
    }

    #[test]
    fn gives_up_on_a_name_that_is_not_utf8() {
        assert_eq!(event_type(b"{\"event_type\":\"\xff\"}"), None);
    }
}
