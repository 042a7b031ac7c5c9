//! Error texts without the values they quote.

/// `text` with every quoted value (`"…"` or `` `…` ``) before its first `, expected` replaced by
/// `"…"`: serde's messages quote the offending value (`invalid type: string "Ada", expected
/// u32`), which may be personal data; what follows `, expected` comes from the reader's types
/// and stays. Errors the project prints or writes to dead letters go through it.
///
/// ```
/// use event_core::personal::without_values;
/// assert_eq!(
///     without_values("invalid type: string \"Ada \\\"A\\\"\", expected u32 at line 1 column 9"),
///     "invalid type: string \"…\", expected u32 at line 1 column 9"
/// );
/// assert_eq!(
///     without_values("unknown variant `secret`, expected `a` or `b`"),
///     "unknown variant \"…\", expected `a` or `b`"
/// );
/// assert_eq!(without_values("handler: player \"Ada\" not found"), "handler: player \"…\" not found");
/// ```
pub fn without_values(text: &str) -> String {
    let (quoted, rest) = match text.find(", expected") {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        if c != '"' && c != '`' {
            out.push(c);
            continue;
        }
        // Skip to the closing quote (a backslash escapes the next character in "…").
        let mut closed = false;
        while let Some(inner) = chars.next() {
            if inner == '\\' && c == '"' {
                chars.next();
            } else if inner == c {
                closed = true;
                break;
            }
        }
        out.push_str("\"…\"");
        if !closed {
            break;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_json_errors_lose_the_value_and_keep_the_position() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Player {
            age: u8,
        }
        let error = serde_json::from_str::<Player>(r#"{"age": "Ada Lovelace"}"#).unwrap_err();
        let message = without_values(&error.to_string());
        assert!(!message.contains("Ada"), "{message}");
        assert!(message.contains("expected u8"), "{message}");
        let error = serde_json::from_str::<Player>(r#"{"age": 300}"#).unwrap_err();
        assert!(!without_values(&error.to_string()).contains("300"));
    }

    #[test]
    fn an_unclosed_quote_hides_the_rest() {
        assert_eq!(without_values("bad \"Ada Love"), "bad \"…\"");
    }
}
