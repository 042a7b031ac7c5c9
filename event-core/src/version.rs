//! [`SemVer`]: an event's schema version, parsed once by the derive.

use std::cmp::Ordering;
use std::fmt;

/// The version of an event's schema, `MAJOR.MINOR.PATCH`, as `#[event(.., version = "..")]`
/// declares it. The derive parses and checks the text at compile time, so every use reads typed
/// numbers and the text is the one written.
///
/// ```
/// # use event_core::{KafkaEvent, SemVer};
/// # event_core::domain! { pub struct Ops { name: "ops", topic: "ops.events", partitions: 1, retention_days: 1, priority: Low } }
/// #[derive(KafkaEvent, serde::Serialize, serde::Deserialize)]
/// #[event("ops.node.started", version = "2.3.1")]
/// pub struct NodeStarted { pub node: String }
///
/// const V: SemVer = NodeStarted::VERSION;
/// assert_eq!((V.major(), V.minor(), V.patch()), (2, 3, 1));
/// assert_eq!(V.as_str(), "2.3.1");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SemVer {
    major: u64,
    minor: u64,
    patch: u64,
    text: &'static str,
}

impl SemVer {
    /// The version of these parts, written `text`. Generated code only: the derive checks that
    /// `text` is `major.minor.patch`.
    #[doc(hidden)]
    pub const fn __checked(major: u64, minor: u64, patch: u64, text: &'static str) -> Self {
        SemVer {
            major,
            minor,
            patch,
            text,
        }
    }

    /// The major version: a breaking change increments it (and moves the event to a new topic).
    pub const fn major(self) -> u64 {
        self.major
    }

    /// The minor version: a compatible change increments it.
    pub const fn minor(self) -> u64 {
        self.minor
    }

    /// The patch version.
    pub const fn patch(self) -> u64 {
        self.patch
    }

    /// `MAJOR.MINOR.PATCH`, as written in the envelope's `version` field.
    pub const fn as_str(self) -> &'static str {
        self.text
    }

    fn parts(self) -> (u64, u64, u64) {
        (self.major, self.minor, self.patch)
    }
}

impl PartialEq for SemVer {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for SemVer {}

impl std::hash::Hash for SemVer {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts().cmp(&other.parts())
    }
}

impl fmt::Display for SemVer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// Whether `part` is a version number as semantic versioning writes it: digits, no leading
/// zero (`(0|[1-9][0-9]*)`). Checks the `version` of envelopes read from the wire.
pub(crate) fn is_version_number(part: &[u8]) -> bool {
    !part.is_empty() && part.iter().all(u8::is_ascii_digit) && (part == b"0" || part[0] != b'0')
}

/// The number of ASCII digits (`u64`'s `FromStr`: a `+` sign and leading zeros taken).
pub(crate) fn parse_number(part: &[u8]) -> Option<u64> {
    std::str::from_utf8(part).ok()?.parse().ok()
}
