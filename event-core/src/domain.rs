//! Domains: the first segment of an event name, each with its Kafka topic.
//!
//! The framework has no domain of its own: a catalog declares its domains with
//! [`domain!`](crate::domain!). An event finds its domain at compile time: the type named by
//! `domain = path::ToIt`, or else the type in scope named after the event's first segment in
//! UpperCamelCase (`combat.session.start` → `Combat`, `live_ops.x.y` → `LiveOps`).
//!
//! ```
//! event_core::domain! {
//!     /// Matchmaking queues.
//!     pub struct Matchmaking {
//!         name: "matchmaking",
//!         topic: "game.matchmaking.events",
//!         partitions: 6,
//!         retention_days: 3,
//!         priority: Normal,
//!         key_fields: [queue],
//!     }
//! }
//!
//! #[derive(event_core::KafkaEvent, serde::Serialize, serde::Deserialize)]
//! #[event("matchmaking.queue.join")] // finds `Matchmaking` in scope
//! pub struct QueueJoin {
//!     pub queue: String,
//! }
//!
//! use event_core::KafkaEvent;
//! assert_eq!(QueueJoin::TOPIC, "game.matchmaking.events");
//! let join = QueueJoin { queue: "ranked-eu".into() };
//! assert_eq!(join.partition_key(), Some(b"ranked-eu".to_vec()));
//! ```
//!
//! Both the declaration and the use are checked at compile time: the name and topic must be
//! well formed, and the domain named by `domain = ..` must be the first segment of the event.
//!
//! ## Partition keys
//! An event's partition key is the field named by `#[event(key = field)]`; without it, the
//! first field of the event named in its domain's `key_fields` (in that order) whose type is a
//! [`KeyBytes`](crate::codec::KeyBytes) (uuids, strings, integers, options of them). An event
//! with neither has no key: Kafka spreads its records over the partitions.

use serde::{Deserialize, Serialize};

/// Delivery priority of an event.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    Default,
    crate::EventSchema,
)]
#[serde(rename_all = "snake_case")]
#[event(binary = false)]
pub enum Priority {
    /// Background data.
    Low,
    /// The default.
    #[default]
    Normal,
    /// Hot-path gameplay.
    High,
    /// Must never wait.
    Critical,
}

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Critical,
    ];

    /// The wire name, e.g. `"high"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }
}

/// A number of days written `{days}d`, built at compile time (a `u32` has at most ten digits).
struct DaysText {
    bytes: [u8; 11],
    len: usize,
}

impl DaysText {
    const fn of(mut days: u32) -> DaysText {
        let mut reversed = [0u8; 10];
        let mut digits = 0;
        loop {
            reversed[digits] = b'0' + (days % 10) as u8;
            digits += 1;
            days /= 10;
            if days == 0 {
                break;
            }
        }
        let mut bytes = [0u8; 11];
        let mut i = 0;
        while i < digits {
            bytes[i] = reversed[digits - 1 - i];
            i += 1;
        }
        bytes[digits] = b'd';
        DaysText {
            bytes,
            len: digits + 1,
        }
    }

    const fn as_str(&'static self) -> &'static str {
        let (text, _) = self.bytes.split_at(self.len);
        match core::str::from_utf8(text) {
            Ok(text) => text,
            Err(_) => panic!("digits and `d` are ASCII"),
        }
    }
}

/// A domain of events and the topic its events go to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a domain",
    label = "`domain = ..` must name a domain type",
    note = "declare a domain with `event_core::domain!`"
)]
pub trait Domain: 'static {
    /// The first segment of event names in this domain, `[a-z][a-z0-9_]*`.
    const NAME: &'static str;
    /// The Kafka topic of the domain's events (major version 1).
    const TOPIC: &'static str;
    /// Partitions of the topic.
    const PARTITIONS: u32;
    /// Retention of the topic, in days.
    const RETENTION_DAYS: u32;
    /// The time to live an envelope of the domain carries unless told otherwise
    /// ([`Envelope::with_ttl`](crate::Envelope::with_ttl)): the retention in days, e.g. `7d`.
    /// Computed from [`RETENTION_DAYS`](Self::RETENTION_DAYS) at compile time, so that an
    /// envelope made or read with it holds this text instead of allocating its own.
    ///
    /// ```
    /// event_core::domain! { pub struct Ops { name: "ops", topic: "ops.events", partitions: 1, retention_days: 90, priority: Low } }
    /// use event_core::Domain;
    /// assert_eq!(Ops::DEFAULT_TTL, "90d");
    /// ```
    const DEFAULT_TTL: &'static str = {
        let text: &'static DaysText = &DaysText::of(Self::RETENTION_DAYS);
        text.as_str()
    };
    /// Priority of the domain's events.
    const PRIORITY: Priority;
    /// The fields that key an event of this domain when it names no `key`, by preference:
    /// the first one the event has (with a key type) is its partition key.
    const KEY_FIELDS: &'static [&'static str] = &[];
    /// The services that may write and read the domain's topics (none declared: the
    /// cluster's own policy governs them); see [`access`](crate::access).
    const ACCESS: crate::access::Access = crate::access::Access::NONE;
}

/// Declares a domain: a unit struct implementing [`Domain`], checked at compile time.
///
/// `key_fields: [a, b]` is optional (see [partition keys](mod@crate::domain#partition-keys)), and
/// so are the roles, in this order: `producers: ["svc", ..]`, `consumers: [..]`,
/// `dead_letter_readers: [..]` (see [`access`](crate::access); each name is checked at
/// compile time, and none may appear twice in a role).
/// See the [module documentation](mod@crate::domain) for an example.
#[macro_export]
macro_rules! domain {
    ($(#[$meta:meta])* $vis:vis struct $ty:ident {
        name: $name:literal,
        topic: $topic:literal,
        partitions: $partitions:literal,
        retention_days: $retention:literal,
        priority: $priority:ident
        $(, key_fields: [$($key:ident),* $(,)?])?
        $(, producers: [$($producer:literal),* $(,)?])?
        $(, consumers: [$($consumer:literal),* $(,)?])?
        $(, dead_letter_readers: [$($reader:literal),* $(,)?])? $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        $vis struct $ty;

        impl $crate::Domain for $ty {
            const NAME: &'static str = $name;
            const TOPIC: &'static str = $topic;
            const PARTITIONS: u32 = $partitions;
            const RETENTION_DAYS: u32 = $retention;
            const PRIORITY: $crate::Priority = $crate::Priority::$priority;
            const KEY_FIELDS: &'static [&'static str] = &[$($(::core::stringify!($key)),*)?];
            const ACCESS: $crate::access::Access = $crate::access::Access {
                producers: &[$($($producer),*)?],
                consumers: &[$($($consumer),*)?],
                dead_letter_readers: &[$($($reader),*)?],
            };
        }

        const _: () = $crate::__private::check_declaration($name, $topic, $partitions, $retention);
        const _: () = $crate::access::check_services(&[$($($producer),*)?]);
        const _: () = $crate::access::check_services(&[$($($consumer),*)?]);
        const _: () = $crate::access::check_services(&[$($($reader),*)?]);
    };
}

/// Whether `segment` is a valid name segment: `[a-z][a-z0-9_]*`.
pub const fn is_valid_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_lowercase() {
        return false;
    }
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `topic` is a legal Kafka topic name: 1 to 249 of `[a-zA-Z0-9._-]`, not `.`/`..`.
pub const fn is_valid_topic(topic: &str) -> bool {
    let bytes = topic.as_bytes();
    if bytes.is_empty() || bytes.len() > 249 {
        return false;
    }
    if (bytes.len() == 1 && bytes[0] == b'.')
        || (bytes.len() == 2 && bytes[0] == b'.' && bytes[1] == b'.')
    {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-') {
            return false;
        }
        i += 1;
    }
    true
}

/// The topic of a major version: `base` for major 0 and 1, `{base}.v{major}` after a breaking
/// change, so that an incompatible schema never shares a topic with the old one.
///
/// ```
/// use event_core::domain::versioned_topic;
/// assert_eq!(versioned_topic("game.combat.events", 1), "game.combat.events");
/// assert_eq!(versioned_topic("game.combat.events", 2), "game.combat.events.v2");
/// ```
pub fn versioned_topic(base: &str, major: u64) -> String {
    if major <= 1 {
        base.to_owned()
    } else {
        format!("{base}.v{major}")
    }
}

/// The topic of a major version, as a `&'static str` computed at compile time.
#[doc(hidden)]
#[macro_export]
macro_rules! __versioned_topic {
    ($base:expr, $major:expr) => {{
        const LEN: usize = $crate::__private::versioned_topic_len($base, $major);
        const BYTES: [u8; LEN] = $crate::__private::versioned_topic_bytes::<LEN>($base, $major);
        match ::core::str::from_utf8(&BYTES) {
            Ok(topic) => topic,
            Err(_) => panic!("topic names are ASCII"),
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__private::key_field_index;

    #[test]
    fn the_default_ttl_is_the_retention_in_days() {
        struct Days<const N: u32>;
        impl<const N: u32> Domain for Days<N> {
            const NAME: &'static str = "days";
            const TOPIC: &'static str = "days";
            const PARTITIONS: u32 = 1;
            const RETENTION_DAYS: u32 = N;
            const PRIORITY: Priority = Priority::Low;
        }
        assert_eq!(Days::<1>::DEFAULT_TTL, "1d");
        assert_eq!(Days::<10>::DEFAULT_TTL, "10d");
        assert_eq!(Days::<1_000>::DEFAULT_TTL, "1000d");
        assert_eq!(Days::<{ u32::MAX }>::DEFAULT_TTL, "4294967295d");
        assert_eq!(Days::<0>::DEFAULT_TTL, "0d");
    }

    #[test]
    fn segments_and_topics() {
        assert!(is_valid_segment("combat"));
        assert!(is_valid_segment("a1_b"));
        for bad in ["", "1a", "Combat", "a-b", "_a"] {
            assert!(!is_valid_segment(bad), "{bad}");
        }
        assert!(is_valid_topic("game.combat.events"));
        assert!(!is_valid_topic("game combat"));
        assert!(!is_valid_topic(".."));
    }

    #[test]
    fn key_fields_are_taken_by_preference() {
        let fields = ["map_id", "player_id", "session_id"];
        assert_eq!(
            key_field_index(&["session_id", "player_id"], &fields),
            Some(2)
        );
        assert_eq!(
            key_field_index(&["guild_id", "player_id"], &fields),
            Some(1)
        );
        assert_eq!(
            crate::__private::key_field_index(&["guild_id"], &fields),
            None
        );
        assert_eq!(crate::__private::key_field_index(&[], &fields), None);
    }

    #[test]
    fn const_versioned_topic_matches_the_runtime_one() {
        const V1: &str = crate::__versioned_topic!("game.combat.events", 1);
        const V12: &str = crate::__versioned_topic!("game.combat.events", 12);
        assert_eq!(V1, versioned_topic("game.combat.events", 1));
        assert_eq!(V12, versioned_topic("game.combat.events", 12));
    }
}
