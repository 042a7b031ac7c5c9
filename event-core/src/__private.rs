//! What the derives and `domain!` generate code against: dependencies they name, compile-time
//! checks and helpers. Not public API (`event_core::__private`, hidden from the docs).

pub use chrono::{DateTime, Utc};
pub use rkyv;
pub use serde;
pub use serde_json;
pub use std::borrow::Cow;
pub use std::string::String;
pub use std::sync::LazyLock;
pub use std::vec::Vec;
pub use std::{format, vec};
pub use uuid::Uuid;

use crate::codec::KeyBytes;
use crate::domain::{is_valid_segment, is_valid_topic};

/// The domain of a type whose derive failed (see the derives' fallback impls).
pub struct FallbackDomain;

impl crate::Domain for FallbackDomain {
    const NAME: &'static str = "";
    const TOPIC: &'static str = "";
    const PARTITIONS: u32 = 1;
    const RETENTION_DAYS: u32 = 1;
    const PRIORITY: crate::Priority = crate::Priority::Normal;
}

/// Compile-time checks of a [`domain!`](crate::domain!) declaration.
pub const fn check_declaration(name: &str, topic: &str, partitions: u32, retention_days: u32) {
    assert!(
        is_valid_segment(name),
        "domain name must match [a-z][a-z0-9_]* (lowercase letter first, then lowercase letters, digits or _)"
    );
    assert!(
        is_valid_topic(topic),
        "topic must be 1 to 249 characters of [a-zA-Z0-9._-], as Kafka requires"
    );
    assert!(partitions > 0, "a topic needs at least one partition");
    assert!(retention_days > 0, "retention must be at least one day");
}

/// Compile-time check emitted by the derive: the domain named by `domain = ..` is the event
/// name's first segment.
pub const fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The position in `fields` of the first of `key_fields` the event has, for the derive's
/// default partition key.
pub const fn key_field_index(key_fields: &[&str], fields: &[&str]) -> Option<usize> {
    let mut k = 0;
    while k < key_fields.len() {
        let mut f = 0;
        while f < fields.len() {
            if same_name(key_fields[k], fields[f]) {
                return Some(f);
            }
            f += 1;
        }
        k += 1;
    }
    None
}

/// Length of [`versioned_topic`](crate::domain::versioned_topic), for const evaluation.
pub const fn versioned_topic_len(base: &str, major: u64) -> usize {
    if major <= 1 {
        return base.len();
    }
    let mut digits = 0;
    let mut rest = major;
    while rest > 0 {
        digits += 1;
        rest /= 10;
    }
    base.len() + 2 + digits
}

/// Bytes of [`versioned_topic`](crate::domain::versioned_topic), for const evaluation (`N` from [`versioned_topic_len`]).
pub const fn versioned_topic_bytes<const N: usize>(base: &str, major: u64) -> [u8; N] {
    let mut out = [0u8; N];
    let base = base.as_bytes();
    let mut i = 0;
    while i < base.len() {
        out[i] = base[i];
        i += 1;
    }
    if major > 1 {
        out[i] = b'.';
        out[i + 1] = b'v';
        let mut end = N;
        let mut rest = major;
        while rest > 0 {
            end -= 1;
            out[end] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
    }
    out
}

/// A field's value, probed for a partition key by the derive's default key: a
/// [`KeyBytes`](crate::codec::KeyBytes) field gives its key (through [`ProbeKey`]), any other gives none (through
/// [`ProbeNoKey`], reached by auto-reference only when `T` is not a [`KeyBytes`](crate::codec::KeyBytes)).
pub struct KeyProbe<'a, T: ?Sized>(pub &'a T);

/// The [`KeyProbe`] of a [`KeyBytes`](crate::codec::KeyBytes) field.
pub trait ProbeKey {
    fn probe_key(&self) -> Option<Vec<u8>>;
}

impl<T: KeyBytes + ?Sized> ProbeKey for KeyProbe<'_, T> {
    fn probe_key(&self) -> Option<Vec<u8>> {
        self.0.key_bytes()
    }
}

/// The [`KeyProbe`] of a field that cannot be a key.
pub trait ProbeNoKey {
    fn probe_key(&self) -> Option<Vec<u8>>;
}

impl<T: ?Sized> ProbeNoKey for &KeyProbe<'_, T> {
    fn probe_key(&self) -> Option<Vec<u8>> {
        None
    }
}
