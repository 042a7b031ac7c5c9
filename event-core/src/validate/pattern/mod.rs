//! The `pattern` keyword's compiled form: an anchored sequence of ASCII classes and literals
//! ([`Anchored`], the shape of most identifier patterns) is matched in one pass at a table
//! lookup per byte; any other pattern by the `regex` crate. Both read the pattern with the
//! same syntax (`regex-syntax`, Unicode on) and give the same answers (the tests compare them
//! on every short text over the patterns' alphabets).

mod anchored;

use anchored::Anchored;

/// A compiled `pattern`: matches anywhere in the text, as JSON Schema's ECMA-262 patterns do.
///
/// ```
/// use event_core::validate::Pattern;
/// let sku = Pattern::new("^[a-z0-9_.]+$").unwrap();
/// assert!(sku.is_match("weapon.rifle.ak_mk2") && !sku.is_match("Weapon"));
/// assert!(Pattern::new("rifle|pistol").unwrap().is_match("a pistol"));
/// assert!(Pattern::new("(").is_none());
/// ```
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: regex::Regex,
    anchored: Option<Anchored>,
}

impl Pattern {
    /// The compiled pattern, or `None` when it does not compile.
    pub fn new(pattern: &str) -> Option<Pattern> {
        let regex = regex::Regex::new(pattern).ok()?;
        Some(Pattern {
            regex,
            anchored: Anchored::new(pattern),
        })
    }

    /// Whether the pattern matches somewhere in `text`.
    #[inline]
    pub fn is_match(&self, text: &str) -> bool {
        match &self.anchored {
            Some(anchored) => anchored.is_match(text.as_bytes()),
            None => self.regex.is_match(text),
        }
    }

    /// The pattern's text.
    pub fn as_str(&self) -> &str {
        self.regex.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_the_regex_crate_through_either_matcher() {
        let texts = [
            "",
            "weapon.rifle.ak_mk2",
            "Weapon",
            "7d",
            "30ms",
            "7x",
            "EUW",
            "eu",
            "1.2.3",
            "xab",
            "c\n",
            "a word here",
            "héllo",
            "日本",
        ];
        for pattern in [
            "^[a-z0-9_.]+$",
            "^[0-9]+(ms|s|m|h|d)$",
            "^[A-Z0-9]{2,5}$",
            "ab|c$",
            "\\bword\\b",
            "^\\w+$",
            "",
        ] {
            let compiled = Pattern::new(pattern).unwrap();
            let regex = regex::Regex::new(pattern).unwrap();
            assert_eq!(compiled.as_str(), pattern);
            for text in texts {
                assert_eq!(
                    compiled.is_match(text),
                    regex.is_match(text),
                    "{pattern} on {text:?}"
                );
            }
        }
        assert!(Pattern::new("^[0-9]+(ms|s|m|h|d)$")
            .unwrap()
            .anchored
            .is_some());
        assert!(Pattern::new("ab|c$").unwrap().anchored.is_none());
    }
}
