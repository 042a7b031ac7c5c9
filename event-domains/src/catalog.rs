//! The catalog: every event of the game, each with a checked-in example.

use chrono::{DateTime, Utc};
use event_core::binary::Binary;
use event_core::codec::{
    event_type_of, CodecError, DispatchError, DomainEvents, KafkaRecord, EVENT_TYPE_HEADER,
};
use event_core::registry::EventDescriptor;
use event_core::validate::{Validate, Violations};
use event_core::{Envelope, KafkaEvent};
use uuid::Uuid;

use crate::{combat, economy, social, system};

/// An event of the catalog with a realistic example instance.
pub trait Example: KafkaEvent + Binary + PartialEq + std::fmt::Debug {
    /// A realistic instance of the event (never zeros), used in docs, exports and tests.
    fn example() -> Self;
}

/// The fixed instant examples are stamped with (2026-11-20 18:04:12 UTC), plus `offset_s`.
pub fn example_time(offset_s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_716_252 + offset_s, 0).unwrap_or_default()
}

/// One event of the catalog: what the registry knows of it, and its example.
#[derive(Debug, Clone, Copy)]
pub struct CatalogEvent {
    /// Name, version, topic and schema of the event.
    pub descriptor: EventDescriptor,
    /// The example wrapped in a complete envelope with fixed ids and time, as JSON.
    pub example_envelope: fn() -> serde_json::Value,
    /// Reads an envelope of this event with serde into its Rust type and writes it back.
    pub reserialize: fn(&serde_json::Value) -> Result<serde_json::Value, serde_json::Error>,
    /// Reads an envelope of this event with serde and runs the generated validator on it.
    pub validate: fn(&serde_json::Value) -> Result<Result<(), Violations>, serde_json::Error>,
    /// Encodes the example into its Kafka record.
    pub example_record: fn() -> Result<KafkaRecord, event_core::codec::CodecError>,
    /// Encodes the example as a binary record, decodes it back and compares; the record's size.
    pub binary_round_trip: fn() -> Result<usize, String>,
    /// The record's fields in declaration order, their layout order and the size of the fixed
    /// part of the archived envelope, for the layout report.
    pub binary_layout: fn() -> (Vec<event_core::binary::BinaryField>, Vec<usize>, usize),
}

impl CatalogEvent {
    fn of<E: Example>(rust_type: &'static str) -> Self {
        CatalogEvent {
            descriptor: EventDescriptor::of::<E>(rust_type),
            example_envelope: || as_written(&example_envelope(E::example())),
            reserialize: |json| {
                let envelope: Envelope<E> = serde_json::from_value(json.clone())?;
                Ok(as_written(&envelope))
            },
            validate: |json| {
                let envelope: Envelope<E> = serde_json::from_value(json.clone())?;
                Ok(envelope.validate())
            },
            example_record: || example_envelope(E::example()).to_record(),
            binary_round_trip: || {
                let envelope = example_envelope(E::example());
                let bytes = envelope.to_binary().map_err(|e| e.to_string())?;
                let back = Envelope::<E>::from_binary(&bytes).map_err(|e| e.to_string())?;
                if back == envelope {
                    Ok(bytes.len())
                } else {
                    Err(format!("decoded {back:?}, expected {envelope:?}"))
                }
            },
            binary_layout: || {
                (
                    E::binary_fields(),
                    E::binary_layout_order(),
                    std::mem::size_of::<event_core::binary::ArchivedEnvelope<E>>(),
                )
            },
        }
    }

    /// `domain.entity.action`.
    pub fn event_type(&self) -> &'static str {
        self.descriptor.event_type
    }
}

/// `value` as the JSON text serde writes, read back: `serde_json::to_value` would widen an `f32`
/// (0.6 becomes 0.6000000238418579), the text keeps its shortest form.
fn as_written<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_vec(value)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// `event` in an envelope whose id, time and ids are fixed, so exports are deterministic.
pub fn example_envelope<E: KafkaEvent>(event: E) -> Envelope<E> {
    Envelope::new(event)
        .with_event_id(stable_id(E::EVENT_TYPE))
        .with_timestamp(example_time(0))
        .with_source(format!("{}-service", E::DOMAIN))
        .with_correlation_id(stable_id(&format!("{}#correlation", E::EVENT_TYPE)))
}

/// A uuid (version 4 layout) derived from `seed` with FNV-1a: fixed per seed, distinct per seed.
fn stable_id(seed: &str) -> Uuid {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in seed.bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
    }
    uuid::Builder::from_random_bytes(hash.to_be_bytes()).into_uuid()
}

macro_rules! catalog {
    ($($domain:ident as $enum:ident { $($event:ident),* $(,)? })*) => {
        /// Every event of the catalog, sorted by event name.
        pub fn events() -> Vec<CatalogEvent> {
            let mut events = vec![
                $($(CatalogEvent::of::<$domain::$event>(
                    concat!("event_domains::", stringify!($domain), "::", stringify!($event))
                ),)*)*
            ];
            events.sort_by_key(|event| event.descriptor.event_type);
            events
        }

        $(
            #[doc = concat!("Every event of the `", stringify!($domain), "` domain, as a consumer of its topic receives them.")]
            ///
            /// `decode` dispatches on the record's `event_type` header (falling back to the body)
            /// and returns the validated envelope, so a consumer writes one `match`.
            #[derive(Debug, Clone, PartialEq)]
            pub enum $enum {
                $(
                    #[doc = concat!("`", stringify!($domain), "::", stringify!($event), "`.")]
                    $event(Envelope<$domain::$event>),
                )*
            }

            impl $enum {
                /// The events of the domain.
                pub const EVENT_TYPES: &'static [&'static str] = &[$(<$domain::$event as KafkaEvent>::EVENT_TYPE),*];

                /// Decodes a record from its `event_type` header (or, without one, the body's
                /// `event_type`) and its value.
                pub fn decode(event_type_header: Option<&[u8]>, value: &[u8]) -> Result<Self, DispatchError> {
                    let event_type = event_type_of(event_type_header, value)?;
                    $(
                        if event_type == <$domain::$event as KafkaEvent>::EVENT_TYPE {
                            return Envelope::<$domain::$event>::from_json(value)
                                .map(Self::$event)
                                .map_err(|error| DispatchError::Codec {
                                    event_type: <$domain::$event as KafkaEvent>::EVENT_TYPE,
                                    error,
                                });
                        }
                    )*
                    Err(DispatchError::UnknownEventType { event_type, domain: stringify!($domain) })
                }

                /// Decodes a record built by [`Envelope::to_record`].
                pub fn decode_record(record: &KafkaRecord) -> Result<Self, DispatchError> {
                    Self::decode(record.header(EVENT_TYPE_HEADER), &record.value)
                }

                /// The event's name.
                pub fn event_type(&self) -> &'static str {
                    match self {
                        $(Self::$event(_) => <$domain::$event as KafkaEvent>::EVENT_TYPE,)*
                    }
                }

                /// Every event of the domain: its example in an [`example_envelope`].
                pub fn examples() -> Vec<Self> {
                    vec![$(Self::$event(example_envelope(<$domain::$event as Example>::example())),)*]
                }

            }

            impl DomainEvents for $enum {
                const DOMAIN: &'static str = stringify!($domain);
                const EVENT_TYPES: &'static [&'static str] = $enum::EVENT_TYPES;

                fn topics() -> Vec<&'static str> {
                    let mut topics = vec![$(<$domain::$event as KafkaEvent>::TOPIC),*];
                    topics.sort_unstable();
                    topics.dedup();
                    topics
                }

                fn decode(event_type_header: Option<&[u8]>, value: &[u8]) -> Result<Self, DispatchError> {
                    $enum::decode(event_type_header, value)
                }

                fn to_record(&self) -> Result<KafkaRecord, CodecError> {
                    match self {
                        $(Self::$event(envelope) => envelope.to_record(),)*
                    }
                }

                fn event_type(&self) -> &'static str {
                    $enum::event_type(self)
                }

                fn event_id(&self) -> Uuid {
                    match self {
                        $(Self::$event(envelope) => envelope.event_id(),)*
                    }
                }

                fn timestamp(&self) -> DateTime<Utc> {
                    match self {
                        $(Self::$event(envelope) => envelope.timestamp(),)*
                    }
                }

                fn with_event_id(self, id: Uuid) -> Self {
                    match self {
                        $(Self::$event(envelope) => Self::$event(envelope.with_event_id(id)),)*
                    }
                }

                fn with_timestamp(self, timestamp: DateTime<Utc>) -> Self {
                    match self {
                        $(Self::$event(envelope) => Self::$event(envelope.with_timestamp(timestamp)),)*
                    }
                }
            }
        )*
    };
}

catalog! {
    combat as CombatEvent {
        CombatSessionStart, CombatSessionEnd, CombatSessionJoin, CombatSessionLeave,
        PlayerAttack, PlayerDefend, AbilityUsed, DamageCalculated, DamageApplied,
        AntiCheatFlagged, AntiCheatCleared, PlayerEliminated,
    }
    economy as EconomyEvent {
        TradeExecuted, ListingCreated, ListingCancelled, CurrencyTransacted,
        AuctionBidPlaced, AuctionClosed, MarketPriceUpdated, ItemCrafted,
    }
    social as SocialEvent {
        GuildJoined, GuildLeft, GuildCreated, PartyFormed, PartyDisbanded,
        ChatMessageSent, ReputationChanged, FriendAdded,
    }
    system as SystemEvent {
        ServiceHealthReported, InfrastructureMetricRecorded, AuditRecorded,
        PerformanceMetricsReported, DeploymentCompleted,
    }
}
