//! The catalog: every event of the game, each with a checked-in example.

use chrono::{DateTime, Utc};
use event_core::registry::EventDescriptor;
use event_core::{Envelope, KafkaEvent};
use uuid::Uuid;

use crate::{combat, economy, social, system};

/// An event of the catalog with a realistic example instance.
pub trait Example: KafkaEvent {
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
    /// The example event's data (the `data` of its envelope), as JSON.
    pub example_data: fn() -> serde_json::Value,
    /// The example wrapped in a complete envelope with fixed ids and time, as JSON.
    pub example_envelope: fn() -> serde_json::Value,
    /// Reads an envelope of this event with serde into its Rust type and writes it back.
    pub reserialize: fn(&serde_json::Value) -> Result<serde_json::Value, serde_json::Error>,
}

impl CatalogEvent {
    fn of<E: Example>(rust_type: &'static str) -> Self {
        CatalogEvent {
            descriptor: EventDescriptor::of::<E>(rust_type),
            example_data: || serde_json::to_value(E::example()).unwrap_or_default(),
            example_envelope: || {
                serde_json::to_value(example_envelope(E::example())).unwrap_or_default()
            },
            reserialize: |json| {
                let envelope: Envelope<E> = serde_json::from_value(json.clone())?;
                serde_json::to_value(envelope)
            },
        }
    }

    /// `domain.entity.action`.
    pub fn event_type(&self) -> &'static str {
        self.descriptor.event_type
    }
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
    ($($domain:ident { $($event:ident),* $(,)? })*) => {
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
    };
}

catalog! {
    combat {
        CombatSessionStart, CombatSessionEnd, CombatSessionJoin, CombatSessionLeave,
        PlayerAttack, PlayerDefend, AbilityUsed, DamageCalculated, DamageApplied,
        AntiCheatFlagged, AntiCheatCleared, PlayerEliminated,
    }
    economy {
        TradeExecuted, ListingCreated, ListingCancelled, CurrencyTransacted,
        AuctionBidPlaced, AuctionClosed, MarketPriceUpdated, ItemCrafted,
    }
    social {
        GuildJoined, GuildLeft, GuildCreated, PartyFormed, PartyDisbanded,
        ChatMessageSent, ReputationChanged, FriendAdded,
    }
    system {
        ServiceHealthReported, InfrastructureMetricRecorded, AuditRecorded,
        PerformanceMetricsReported, DeploymentCompleted,
    }
}
