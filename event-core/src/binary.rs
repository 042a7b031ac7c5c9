//! The binary record: envelopes archived with rkyv 0.8, fields in layout order.
//!
//! rkyv archives every struct `#[repr(C)]` in declaration order, so declaration order decides
//! its padding. The derive therefore emits, for each type marked `#[event(binary)]` (the binary
//! form is opt-in: see [`Binary`]), a hidden mirror whose fields are the
//! type's fields **in layout order** (see [`crate::layout`]), and uses rkyv's remote derive so
//! that no field is cloned: the mirror reads the original's fields through getters when
//! archiving and moves them back when deserializing. The order comes from `size_of`/`align_of`
//! in const evaluation, so the mirror's fields are *slots* (`slot0`, `slot1` …) whose types are
//! picked by const indices ([`Field`], [`Slot`]).
//!
//! Untrusted bytes are checked (bytecheck) before use: corrupt, truncated or hostile input is
//! an error, never a panic or undefined behaviour.
//!
//! ```
//! # event_core::domain! { pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High, key_fields: [session_id, player_id] } }
//! use event_core::{Envelope, KafkaEvent};
//! #[derive(event_core::KafkaEvent, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! #[event("combat.player.attack", binary)]
//! pub struct Attack { pub hit: bool, pub damage: u32, pub weapon: String }
//!
//! let envelope = Envelope::new(Attack { hit: true, damage: 12, weapon: "rifle".into() });
//! let bytes = envelope.to_binary().unwrap();
//! assert_eq!(Envelope::<Attack>::from_binary(&bytes).unwrap(), envelope);
//! assert!(Envelope::<Attack>::from_binary(&bytes[..bytes.len() - 4]).is_err());
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use chrono::{DateTime, Utc};
use rkyv::api::high::{HighDeserializer, HighSerializer, HighValidator};
use rkyv::bytecheck::CheckBytes;
use rkyv::rancor::{Error as RkyvError, Fallible, Source};
use rkyv::ser::allocator::ArenaHandle;
use rkyv::util::AlignedVec;
use rkyv::with::{ArchiveWith, AsOwned, DeserializeWith, Map, MapKV, SerializeWith, With};
use rkyv::{Archive, Deserialize, Place, Serialize};
use uuid::Uuid;

use crate::codec::{CodecError, DecodeOptions};
use crate::domain::Priority;
use crate::envelope::{Envelope, Metadata};
use crate::validate::Validate;
use crate::KafkaEvent;

/// The serializer every binary record is written with.
pub type BinarySerializer<'a> = HighSerializer<AlignedVec, ArenaHandle<'a>, RkyvError>;
/// The deserializer every binary record is read with.
pub type BinaryDeserializer = HighDeserializer<RkyvError>;
/// The validator that checks untrusted bytes.
pub type BinaryValidator<'a> = HighValidator<'a, RkyvError>;

/// A type with a binary (rkyv) form: `With` archives it. Derived for the non-generic types of
/// `#[derive(KafkaEvent)]` and `#[derive(EventSchema)]` marked `#[event(binary)]` (an event's
/// nested types need it too), implemented for the standard types events use.
///
/// ```
/// use event_core::{domain, EventSchema, KafkaEvent};
/// use serde::{Deserialize, Serialize};
///
/// domain! { pub struct Arena { name: "arena", topic: "arena.events", partitions: 1, retention_days: 1, priority: High } }
///
/// #[derive(EventSchema, Serialize, Deserialize, Debug, PartialEq)]
/// #[event(binary)]
/// pub struct Position { pub x: f32, pub y: f32 }
///
/// #[derive(KafkaEvent, Serialize, Deserialize, Debug, PartialEq)]
/// #[event("arena.player.moved", binary)]
/// pub struct PlayerMoved { pub player_id: uuid::Uuid, pub to: Position }
///
/// assert!(PlayerMoved::binary_layout().is_some());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no binary (rkyv) form",
    note = "add `binary` to the `#[event(..)]` of its derive (`#[event(binary)]`), implement `event_core::binary::Binary`, or remove `binary` from the type that holds this field"
)]
pub trait Binary: Sized {
    /// The rkyv `with`-wrapper that archives `Self`.
    type With: ArchiveWith<Self, Archived: for<'a> CheckBytes<BinaryValidator<'a>>>
        + for<'a> SerializeWith<Self, BinarySerializer<'a>>
        + DeserializeWith<<Self::With as ArchiveWith<Self>>::Archived, Self, BinaryDeserializer>;

    /// The fields of a record, in declaration order (empty for other types).
    fn binary_fields() -> Vec<BinaryField> {
        Vec::new()
    }

    /// The declaration indices of [`binary_fields`](Self::binary_fields) in layout order.
    fn binary_layout_order() -> Vec<usize> {
        Vec::new()
    }
}

/// What the layout report and the catalog site show of an event's binary form
/// ([`KafkaEvent::binary_layout`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryLayout {
    /// The data's fields in declaration order (empty when the data is no record).
    pub fields: Vec<BinaryField>,
    /// The declaration indices of [`fields`](Self::fields) in layout order.
    pub order: Vec<usize>,
    /// `size_of` the archived envelope: the fixed part of every record.
    pub fixed_envelope: usize,
}

impl BinaryLayout {
    /// The binary layout of event `T`.
    pub fn of<T: KafkaEvent + Binary>() -> Self {
        BinaryLayout {
            fields: T::binary_fields(),
            order: T::binary_layout_order(),
            fixed_envelope: core::mem::size_of::<ArchivedEnvelope<T>>(),
        }
    }
}

/// The archived form of `T`.
pub type ArchivedOf<T> = <<T as Binary>::With as ArchiveWith<T>>::Archived;

/// One field of a record, for the layout report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BinaryField {
    /// The field's wire name.
    pub name: &'static str,
    /// `size_of` the Rust type.
    pub size: usize,
    /// `align_of` the Rust type.
    pub align: usize,
    /// `size_of` the archived type.
    pub archived_size: usize,
    /// `align_of` the archived type.
    pub archived_align: usize,
    /// Whether the value has a variable length (strings, sequences, maps, nested records).
    pub variable: bool,
}

impl BinaryField {
    /// The facts of a field of type `T` named `name`.
    pub const fn of<T: Binary + crate::EventSchema>(name: &'static str) -> Self {
        BinaryField {
            name,
            variable: matches!(T::LAYOUT_CLASS, crate::layout::LayoutClass::Variable),
            size: core::mem::size_of::<T>(),
            align: core::mem::align_of::<T>(),
            archived_size: core::mem::size_of::<ArchivedOf<T>>(),
            archived_align: core::mem::align_of::<ArchivedOf<T>>(),
        }
    }
}

/// The size of a `#[repr(C)]` struct of `(size, align)` fields in the given order: what rkyv's
/// archived struct occupies.
///
/// ```
/// use event_core::binary::repr_c_size;
/// assert_eq!(repr_c_size([(1, 1), (8, 8), (1, 1)]), 24);
/// assert_eq!(repr_c_size([(8, 8), (1, 1), (1, 1)]), 16);
/// ```
pub fn repr_c_size(fields: impl IntoIterator<Item = (usize, usize)>) -> usize {
    repr_c_offsets(fields).1
}

/// The offset of each field of a `#[repr(C)]` struct of `(size, align)` fields in the given
/// order, and the struct's size (trailing padding included): where the padding goes.
///
/// ```
/// use event_core::binary::repr_c_offsets;
/// assert_eq!(repr_c_offsets([(1, 1), (8, 8), (1, 1)]), (vec![0, 8, 16], 24));
/// ```
pub fn repr_c_offsets(fields: impl IntoIterator<Item = (usize, usize)>) -> (Vec<usize>, usize) {
    let (mut end, mut max_align, mut offsets) = (0usize, 1usize, Vec::new());
    for (size, align) in fields {
        let align = align.max(1);
        let offset = end.div_ceil(align) * align;
        offsets.push(offset);
        end = offset + size;
        max_align = max_align.max(align);
    }
    (offsets, end.div_ceil(max_align) * max_align)
}

/// The field of declaration index `I` of a record, for the layout-order mirror.
pub trait Field<const I: usize> {
    /// Its type.
    type Type;
    /// A reference to it.
    fn field(&self) -> &Self::Type;
}

/// Slot `K` of a mirror being taken apart, for the layout-order mirror.
pub trait Slot<const K: usize> {
    /// The slot's type.
    type Type;
    /// Moves the value out (once).
    fn take(&mut self) -> Option<Self::Type>;
}

/// Moves slot `K` out of a mirror being taken apart. Generated code calls it once per slot.
pub fn take_slot<S: Slot<K>, const K: usize>(slots: &mut S) -> S::Type {
    match slots.take() {
        Some(value) => value,
        None => unreachable!("the generated conversion takes each slot exactly once"),
    }
}

/// Archives a value with its own rkyv implementation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Native;

impl<F: Archive> ArchiveWith<F> for Native {
    type Archived = F::Archived;
    type Resolver = F::Resolver;
    fn resolve_with(field: &F, resolver: Self::Resolver, out: Place<Self::Archived>) {
        field.resolve(resolver, out);
    }
}

impl<F: Serialize<S>, S: Fallible + ?Sized> SerializeWith<F, S> for Native {
    fn serialize_with(field: &F, serializer: &mut S) -> Result<Self::Resolver, S::Error> {
        field.serialize(serializer)
    }
}

impl<F: Archive, D: Fallible + ?Sized> DeserializeWith<F::Archived, F, D> for Native
where
    F::Archived: Deserialize<F, D>,
{
    fn deserialize_with(field: &F::Archived, deserializer: &mut D) -> Result<F, D::Error> {
        field.deserialize(deserializer)
    }
}

/// Archives a UTC timestamp as nanoseconds since the Unix epoch (an `i64`: years 1677 to 2262).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timestamp;

#[derive(Debug, thiserror::Error)]
#[error("timestamp {0} is outside the binary record's range (years 1677 to 2262)")]
struct TimestampOutOfRange(DateTime<Utc>);

impl ArchiveWith<DateTime<Utc>> for Timestamp {
    type Archived = rkyv::Archived<i64>;
    type Resolver = ();
    fn resolve_with(field: &DateTime<Utc>, resolver: (), out: Place<Self::Archived>) {
        // The range was checked by `serialize_with`.
        field
            .timestamp_nanos_opt()
            .unwrap_or_default()
            .resolve(resolver, out);
    }
}

impl<S: Fallible + ?Sized> SerializeWith<DateTime<Utc>, S> for Timestamp
where
    S::Error: Source,
{
    fn serialize_with(field: &DateTime<Utc>, _: &mut S) -> Result<(), S::Error> {
        match field.timestamp_nanos_opt() {
            Some(_) => Ok(()),
            None => Err(S::Error::new(TimestampOutOfRange(*field))),
        }
    }
}

impl<D: Fallible + ?Sized> DeserializeWith<rkyv::Archived<i64>, DateTime<Utc>, D> for Timestamp {
    fn deserialize_with(field: &rkyv::Archived<i64>, _: &mut D) -> Result<DateTime<Utc>, D::Error> {
        Ok(DateTime::from_timestamp_nanos(field.to_native()))
    }
}

macro_rules! native {
    ($($ty:ty),* $(,)?) => {$( impl Binary for $ty { type With = Native; } )*};
}
native!(
    bool,
    u8,
    u16,
    u32,
    u64,
    u128,
    i8,
    i16,
    i32,
    i64,
    i128,
    f32,
    f64,
    char,
    String,
    Uuid,
    ()
);

impl Binary for DateTime<Utc> {
    type With = Timestamp;
}

impl<T: Binary> Binary for Option<T> {
    type With = Map<T::With>;
}

impl<T: Binary> Binary for Vec<T> {
    type With = Map<T::With>;
}

impl<K: Binary + Ord, V: Binary> Binary for BTreeMap<K, V>
where
    ArchivedOf<K>: Ord,
{
    type With = MapKV<K::With, V::With>;
}

impl<K: Binary + Hash + Eq, V: Binary> Binary for HashMap<K, V>
where
    ArchivedOf<K>: Hash + Eq,
{
    type With = MapKV<K::With, V::With>;
}

/// Archives the envelope, fields in layout order: variable-length first (data, names), then
/// the timestamp, then the ids. Its archived form, [`ArchivedEnvelope`], has the same public
/// fields (the data's archived fields are slots in layout order).
///
/// The event type is stored as a 64-bit hash ([`event_type_hash`]): the record's identity is
/// still checked on decode, in 8 bytes instead of the name.
#[derive(Archive, Serialize, Deserialize)]
#[rkyv(remote = Envelope<T>)]
#[rkyv(archived = ArchivedEnvelope)]
#[allow(missing_docs)] // the fields of `Envelope`, documented there
pub struct EnvelopeLayout<T: Binary + KafkaEvent> {
    #[rkyv(with = T::With)]
    pub data: T,
    #[rkyv(getter = hash_of_event_type)]
    pub event_type_hash: u64,
    #[rkyv(with = AsOwned)]
    pub version: Cow<'static, str>,
    #[rkyv(with = AsOwned)]
    pub source: Cow<'static, str>,
    #[rkyv(with = MetadataLayout)]
    pub metadata: Metadata,
    #[rkyv(with = Timestamp)]
    pub timestamp: DateTime<Utc>,
    pub event_id: Uuid,
    pub correlation_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub player_id: Option<Uuid>,
}

/// FNV-1a of an event type: how a binary record names its event.
///
/// ```
/// use event_core::binary::event_type_hash;
/// assert_ne!(event_type_hash("combat.session.start"), event_type_hash("combat.session.end"));
/// ```
pub const fn event_type_hash(event_type: &str) -> u64 {
    let bytes = event_type.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
        i += 1;
    }
    hash
}

fn hash_of_event_type<T: KafkaEvent>(envelope: &Envelope<T>) -> u64 {
    event_type_hash(&envelope.event_type)
}

impl<T: Binary + KafkaEvent> From<EnvelopeLayout<T>> for Envelope<T> {
    fn from(layout: EnvelopeLayout<T>) -> Self {
        let event_type = if layout.event_type_hash == event_type_hash(T::EVENT_TYPE) {
            Cow::Borrowed(T::EVENT_TYPE)
        } else {
            Cow::Owned(format!(
                "another event (type hash {:016x})",
                layout.event_type_hash
            ))
        };
        Envelope {
            event_id: layout.event_id,
            event_type,
            timestamp: layout.timestamp,
            version: layout.version,
            source: layout.source,
            correlation_id: layout.correlation_id,
            session_id: layout.session_id,
            player_id: layout.player_id,
            data: layout.data,
            metadata: layout.metadata,
        }
    }
}

/// Archives [`Metadata`].
#[derive(Archive, Serialize, Deserialize)]
#[rkyv(remote = Metadata)]
#[rkyv(archived = ArchivedMetadata)]
#[allow(missing_docs)] // the fields of `Metadata`, documented there
pub struct MetadataLayout {
    #[rkyv(with = AsOwned)]
    pub ttl: Cow<'static, str>,
    pub retry_count: u32,
    #[rkyv(with = PriorityLayout)]
    pub priority: Priority,
}

impl From<MetadataLayout> for Metadata {
    fn from(layout: MetadataLayout) -> Self {
        Metadata {
            priority: layout.priority,
            ttl: layout.ttl,
            retry_count: layout.retry_count,
        }
    }
}

/// Archives [`Priority`].
#[derive(Archive, Serialize, Deserialize)]
#[rkyv(remote = Priority)]
#[rkyv(archived = ArchivedPriority)]
pub enum PriorityLayout {
    /// `low`
    Low,
    /// `normal`
    Normal,
    /// `high`
    High,
    /// `critical`
    Critical,
}

impl From<PriorityLayout> for Priority {
    fn from(layout: PriorityLayout) -> Self {
        match layout {
            PriorityLayout::Low => Priority::Low,
            PriorityLayout::Normal => Priority::Normal,
            PriorityLayout::High => Priority::High,
            PriorityLayout::Critical => Priority::Critical,
        }
    }
}

fn binary_error(error: RkyvError) -> CodecError {
    CodecError::Binary(error.to_string())
}

impl<T: KafkaEvent + Binary> Envelope<T> {
    /// The binary record of this envelope, after checking every constraint.
    pub fn to_binary(&self) -> Result<AlignedVec, CodecError> {
        self.to_binary_in(AlignedVec::new())
    }

    /// [`to_binary`](Self::to_binary) into a buffer to reuse (cleared first).
    pub fn to_binary_in(&self, mut buffer: AlignedVec) -> Result<AlignedVec, CodecError> {
        self.validate()?;
        buffer.clear();
        rkyv::api::high::to_bytes_in::<_, RkyvError>(
            With::<Self, EnvelopeLayout<T>>::cast(self),
            buffer,
        )
        .map_err(binary_error)
    }

    /// Checked access to a binary record without deserializing it. `bytes` must be aligned as
    /// rkyv requires (an [`AlignedVec`], or 16-byte aligned); use
    /// [`from_binary`](Self::from_binary) for bytes of any alignment.
    pub fn access_binary(bytes: &[u8]) -> Result<&ArchivedEnvelope<T>, CodecError> {
        rkyv::access::<ArchivedEnvelope<T>, RkyvError>(bytes).map_err(binary_error)
    }

    /// Decodes and checks a binary record with the default limits ([`DecodeOptions`]): see
    /// [`from_binary_with`](Self::from_binary_with).
    pub fn from_binary(bytes: &[u8]) -> Result<Self, CodecError> {
        Self::from_binary_with(bytes, &DecodeOptions::default())
    }

    /// Decodes and checks a binary record: its size (the topic's `max.message.bytes` by default,
    /// as [`from_json_with`](Self::from_json_with) checks, before anything is copied), the bytes
    /// (bytecheck), then the event type, the major version and every constraint.
    pub fn from_binary_with(bytes: &[u8], options: &DecodeOptions) -> Result<Self, CodecError> {
        if bytes.len() > options.max_message_bytes {
            return Err(CodecError::TooLarge {
                size: bytes.len(),
                limit: options.max_message_bytes,
            });
        }
        let mut aligned;
        let bytes = if (bytes.as_ptr() as usize) % 16 == 0 {
            bytes
        } else {
            aligned = AlignedVec::<16>::with_capacity(bytes.len());
            aligned.extend_from_slice(bytes);
            &aligned[..]
        };
        let archived = Self::access_binary(bytes)?;
        let envelope: Envelope<T> =
            rkyv::deserialize::<Envelope<T>, RkyvError>(With::<
                ArchivedEnvelope<T>,
                EnvelopeLayout<T>,
            >::cast(archived))
            .map_err(binary_error)?;
        envelope.check_identity()?;
        envelope.validate()?;
        Ok(envelope)
    }
}
