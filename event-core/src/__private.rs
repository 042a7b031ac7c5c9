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

use crate::codec::{DispatchError, KeyBytes};
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

/// How many distinct names `parts` hold together: the length of a [`DomainEvents`] enum's
/// `EVENT_TYPES` when it holds whole domain enums (`#[domain]` variants), whose lists may
/// share cross-domain events.
///
/// [`DomainEvents`]: crate::codec::DomainEvents
pub const fn distinct_count(parts: &[&[&'static str]]) -> usize {
    write_distinct(parts, &mut [])
}

/// The distinct names of `parts`, in order, first occurrence kept; `N` is their
/// [`distinct_count`].
pub const fn distinct_names<const N: usize>(parts: &[&[&'static str]]) -> [&'static str; N] {
    let mut names = [""; N];
    write_distinct(parts, &mut names);
    names
}

/// Writes the distinct names of `parts` (in order, first occurrence kept) into `out` as far as
/// it reaches; how many there are.
const fn write_distinct(parts: &[&[&'static str]], out: &mut [&'static str]) -> usize {
    let mut count = 0;
    let mut part = 0;
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            if !seen_before(parts, part, i) {
                if count < out.len() {
                    out[count] = parts[part][i];
                }
                count += 1;
            }
            i += 1;
        }
        part += 1;
    }
    count
}

/// Whether `parts[part][index]` occurs earlier in `parts`.
const fn seen_before(parts: &[&[&str]], part: usize, index: usize) -> bool {
    let name = parts[part][index];
    let mut p = 0;
    while p <= part {
        let end = if p == part { index } else { parts[p].len() };
        let mut i = 0;
        while i < end {
            if same_name(parts[p][i], name) {
                return true;
            }
            i += 1;
        }
        p += 1;
    }
    false
}

/// Hands each event type to `visitor` once, however many of an enum's `#[domain]` variants
/// list it.
pub struct DistinctEvents<'v, V> {
    visitor: &'v mut V,
    seen: Vec<&'static str>,
}

impl<'v, V: crate::catalog::EventVisitor> DistinctEvents<'v, V> {
    /// Visits through `visitor`.
    pub fn new(visitor: &'v mut V) -> Self {
        DistinctEvents {
            visitor,
            seen: Vec::new(),
        }
    }
}

impl<V: crate::catalog::EventVisitor> crate::catalog::EventVisitor for DistinctEvents<'_, V> {
    fn visit<E: crate::catalog::Example>(&mut self) {
        if !self.seen.contains(&E::EVENT_TYPE) {
            self.seen.push(E::EVENT_TYPE);
            self.visitor.visit::<E>();
        }
    }
}

/// `events` with each event type kept once (its first), for `examples()` of an enum with
/// `#[domain]` variants.
pub fn distinct_events<E: crate::codec::DomainEvents>(mut events: Vec<E>) -> Vec<E> {
    let mut seen: Vec<&'static str> = Vec::with_capacity(events.len());
    events.retain(|event| {
        let first = !seen.contains(&event.event_type());
        if first {
            seen.push(event.event_type());
        }
        first
    });
    events
}

/// Which fields of an event may hold its domain's default partition key: the derive's answer,
/// from which [`KafkaEvent`](crate::KafkaEvent)'s defaults compute `KEY_FIELD` and the index
/// the derived `partition_key` reads, in const evaluation where they are used (not one
/// constant per event for the compiler to check).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCandidates {
    /// No default key: a hand-written impl, a key named by `key = field`, or no named fields.
    None,
    /// The declared fields, each named in Rust as on the wire
    /// ([`DECLARED_FIELDS`](crate::KafkaEvent::DECLARED_FIELDS)).
    Declared,
    /// The Rust names of the declared fields, in the same order, when one differs from its
    /// wire name.
    Named(&'static [&'static str]),
}

/// The position among `E`'s declared fields of the first of its domain's
/// [`KEY_FIELDS`](crate::Domain::KEY_FIELDS) it has.
pub const fn key_index<E: crate::KafkaEvent>() -> Option<usize> {
    let names = match E::__KEY_CANDIDATES {
        KeyCandidates::None => return None,
        KeyCandidates::Declared => E::DECLARED_FIELDS,
        KeyCandidates::Named(names) => names,
    };
    key_field_index(<E::Domain as crate::Domain>::KEY_FIELDS, names)
}

/// `E`'s [`key_index`] read at run time (a constant once inlined): the derived
/// `partition_key` matches on it, so no crate that derives evaluates it while building.
#[inline]
pub fn derived_key_index<E: crate::KafkaEvent>() -> Option<usize> {
    E::__KEY_INDEX
}

/// The wire name of the field at [`key_index`].
pub const fn key_field<E: crate::KafkaEvent>() -> Option<&'static str> {
    match E::__KEY_INDEX {
        Some(index) => Some(E::DECLARED_FIELDS[index]),
        None => None,
    }
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

/// The event type of a record as [`event_type_of`](crate::codec::event_type_of) finds it
/// (its UTF-8 `event_type` header, else the body's `event_type`), as bytes checked to be UTF-8
/// but not converted: what a derived `decode_as` compares with its events' names.
pub fn event_type_name<'r>(
    header: Option<&'r [u8]>,
    value: &'r [u8],
) -> Result<Cow<'r, [u8]>, DispatchError> {
    if let Some(name) = header.filter(|name| crate::leading::is_utf8(name)) {
        return Ok(Cow::Borrowed(name));
    }
    if let Some(name) = crate::leading::event_type(value) {
        return Ok(Cow::Borrowed(name));
    }
    crate::codec::peek_event_type(value)
        .map(|name| Cow::Owned(name.into_bytes()))
        .ok_or(DispatchError::MissingEventType)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_shared_by_parts_are_kept_once_in_order() {
        const PARTS: &[&[&str]] = &[&["a.b.c", "a.b.d"], &["x.y.z", "a.b.d"], &["x.y.z"], &[]];
        const N: usize = distinct_count(PARTS);
        const NAMES: [&str; N] = distinct_names(PARTS);
        assert_eq!(NAMES, ["a.b.c", "a.b.d", "x.y.z"]);
        assert_eq!(distinct_count(&[]), 0);
        assert_eq!(distinct_count(&[&["a", "a"]]), 1);
    }
}
