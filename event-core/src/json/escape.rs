//! JSON strings, escaped as serde_json escapes them: `"` and `\` with a backslash, the control
//! characters with their short form (`\n` …) or `\u00XX` in lowercase hex, everything else
//! (including U+007F and every non-ASCII character) as it is.

use super::plain::plain_run;

/// `b'u'`: `\u00XX`; another letter: `\` and that letter; 0: no escape (the bytes
/// [`plain_run`] stops at are exactly the others).
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends `value` as a JSON string, quotes included.
///
/// ```
/// let mut out = Vec::new();
/// event_core::json::write_str(&mut out, "tab\there \u{1}");
/// assert_eq!(out, br#""tab\there \u0001""#);
/// ```
#[inline]
pub fn write_str(out: &mut Vec<u8>, value: &str) {
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    loop {
        // What needs no escape is copied a run at a time, found eight bytes at a time.
        let stop = plain_run(bytes, start);
        out.extend_from_slice(&bytes[start..stop]);
        let Some(&byte) = bytes.get(stop) else {
            break;
        };
        match ESCAPE[usize::from(byte)] {
            b'u' => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX_DIGITS[usize::from(byte >> 4)],
                HEX_DIGITS[usize::from(byte & 0xf)],
            ]),
            escape => out.extend_from_slice(&[b'\\', escape]),
        }
        start = stop + 1;
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_class_is_escaped_as_serde_json_escapes_it() {
        let mut all: String = (0u32..0x250).filter_map(char::from_u32).collect();
        all.push_str("\u{2028}\u{FFFF}😀\u{7f}");
        for text in [all.as_str(), "", "plain", "\"", "\\\\", "end\u{1f}"] {
            let mut out = Vec::new();
            write_str(&mut out, text);
            assert_eq!(out, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }

    /// The runs are found eight bytes at a time: each byte that needs an escape, alone or
    /// beside another, at every place in and across the words.
    #[test]
    fn an_escape_anywhere_in_a_run_is_written_as_serde_json_writes_it() {
        for byte in (0u8..0x20).chain([b'"', b'\\', 0x7f]) {
            for at in 0..20 {
                for second in [None, Some(at + 1), Some(at + 8)] {
                    let mut text = vec![b'a'; 32];
                    text[at] = byte;
                    if let Some(second) = second {
                        text[second] = byte;
                    }
                    let text = String::from_utf8(text).unwrap();
                    let mut out = Vec::new();
                    write_str(&mut out, &text);
                    assert_eq!(out, serde_json::to_vec(&text).unwrap(), "{text:?}");
                }
            }
        }
    }
}
