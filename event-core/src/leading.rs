//! The envelope's `event_type` read from the first members of its JSON, without parsing the
//! rest: how a consumer dispatches a record that carries no `event_type` header.

use crate::json::{plain_run, Parser};

/// The members read before giving up: the envelope writes `event_type` second, after
/// `event_id`.
const MEMBERS: usize = 4;

/// How the envelope's JSON opens, up to the `event_id`'s text.
const OPENING: &[u8] = br#"{"event_id":""#;

/// What follows the `event_id`'s text, up to the `event_type`'s.
const THEN_EVENT_TYPE: &[u8] = br#"","event_type":""#;

/// The `event_type` of a JSON object whose members up to it (at most [`MEMBERS`]) are plain
/// strings: no escape, no control character, no other kind of value. `None` for anything
/// else, and for a name that is not UTF-8: the caller parses the body instead; the work is
/// bounded by the value's length. The name is checked to be UTF-8 but handed out as bytes,
/// for a comparison with the catalog's names.
pub(crate) fn event_type(value: &[u8]) -> Option<&[u8]> {
    let name = as_written(value).or_else(|| member_by_member(value))?;
    is_utf8(name).then_some(name)
}

/// `name` is UTF-8; names are ASCII, which a word-wise check settles.
pub(crate) fn is_utf8(name: &[u8]) -> bool {
    name.is_ascii() || std::str::from_utf8(name).is_ok()
}

/// The name when the value opens exactly as the envelope writes it (`{"event_id":"…",
/// "event_type":"…"`, no whitespace, both plain strings): the same name
/// [`member_by_member`] reads there, found without a tokenizer.
fn as_written(value: &[u8]) -> Option<&[u8]> {
    let id = value.strip_prefix(OPENING)?;
    let id_end = plain_run(id, 0);
    let name = id.get(id_end..)?.strip_prefix(THEN_EVENT_TYPE)?;
    let name_end = plain_run(name, 0);
    (name.get(name_end) == Some(&b'"')).then(|| &name[..name_end])
}

/// The name read member by member with the reader's tokenizer ([`Parser`]), eight bytes at a
/// time: any whitespace, and up to [`MEMBERS`] plain members before it.
fn member_by_member(value: &[u8]) -> Option<&[u8]> {
    let mut parser = Parser::new(value);
    if !parser.begin_object().ok()? {
        return None;
    }
    for _ in 0..MEMBERS {
        let name = parser.key().ok()?;
        let member = parser.plain_string().ok()?;
        if name == b"event_type" {
            return Some(member);
        }
        if !parser.next_member().ok()? {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{as_written, event_type, member_by_member};

    fn name(value: &[u8]) -> Option<&str> {
        event_type(value).map(|name| std::str::from_utf8(name).expect("checked"))
    }

    const WRITTEN: &[u8] = br#"{"event_id":"0b6e3ab4-5f3a-4f6e-9d2c-2f1b7c1e8a90","event_type":"combat.session.start","timestamp":"2026-01-01T00:00:00Z"}"#;

    #[test]
    fn reads_the_event_type_after_the_event_id_as_the_envelope_writes_it() {
        assert_eq!(name(WRITTEN), Some("combat.session.start"));
        assert_eq!(as_written(WRITTEN), Some(&b"combat.session.start"[..]));
    }

    #[test]
    fn reads_it_first_or_after_whitespace() {
        assert_eq!(name(br#"{"event_type":"a.b.c"}"#), Some("a.b.c"));
        assert_eq!(
            name(b" {\n \"event_id\" : \"x\" ,\r\n\t\"event_type\":\"a.b.c\" }"),
            Some("a.b.c")
        );
    }

    #[test]
    fn gives_up_on_anything_but_plain_strings_before_it() {
        // An escape in the name or in a member before it, a number, an object, a truncated
        // value, not an object: the caller parses these.
        assert_eq!(name(br#"{"event_type":"a.b\u0063"}"#), None);
        assert_eq!(name(br#"{"event_id":"\"","event_type":"a.b.c"}"#), None);
        assert_eq!(name(br#"{"event_id":"x\"","event_type":"a.b.c"}"#), None);
        assert_eq!(name(br#"{"event_id":"x","event_type":"a.b\"c"}"#), None);
        assert_eq!(name(br#"{"n":1,"event_type":"a.b.c"}"#), None);
        assert_eq!(name(br#"{"data":{},"event_type":"a.b.c"}"#), None);
        assert_eq!(name(br#"{"event_type":"a.b.c"#), None);
        assert_eq!(name(br#"{"event_id":"x","event_type":"a.b.c"#), None);
        assert_eq!(name(br#"["event_type","a.b.c"]"#), None);
        assert_eq!(name(b""), None);
        assert_eq!(name(b"{\"event_type\":\"a\x01\"}"), None);
        assert_eq!(name(b"{\"event_id\":\"x\",\"event_type\":\"a\x01\"}"), None);
    }

    #[test]
    fn reads_at_most_four_members() {
        let fourth = br#"{"a":"1","b":"2","c":"3","event_type":"a.b.c"}"#;
        let fifth = br#"{"a":"1","b":"2","c":"3","d":"4","event_type":"a.b.c"}"#;
        assert_eq!(name(fourth), Some("a.b.c"));
        assert_eq!(name(fifth), None);
    }

    #[test]
    fn gives_up_on_a_name_that_is_not_utf8() {
        assert_eq!(event_type(b"{\"event_type\":\"\xff\"}"), None);
        assert_eq!(
            event_type(b"{\"event_id\":\"x\",\"event_type\":\"\xff\"}"),
            None
        );
        assert_eq!(
            name("{\"event_id\":\"x\",\"event_type\":\"é.b.c\"}".as_bytes()),
            Some("é.b.c")
        );
    }

    /// The opening as written, with each of its bytes (through the name's closing quote)
    /// replaced by every byte value: wherever the shortcut reads a name, it is the one the
    /// tokenizer reads.
    #[test]
    fn the_shortcut_reads_what_the_tokenizer_reads_whatever_byte_is_changed() {
        let through_name = WRITTEN
            .windows(13)
            .position(|window| window == br#"","timestamp""#)
            .expect("written")
            + 1;
        let mut read = 0;
        for at in 0..through_name {
            for byte in 0..=u8::MAX {
                let mut value = WRITTEN.to_vec();
                value[at] = byte;
                if let Some(shortcut) = as_written(&value) {
                    assert_eq!(
                        Some(shortcut),
                        member_by_member(&value),
                        "byte {byte:#04x} at {at}"
                    );
                    read += 1;
                }
            }
        }
        // Most changes inside the id and the name keep the shortcut's shape.
        assert!(read > 40 * 256, "{read}");
    }
}
