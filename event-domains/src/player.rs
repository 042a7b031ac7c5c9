//! Player: events about a player's account that several domains act on. A ban is enforced by
//! combat (kick from sessions), economy (freeze trades and listings) and social (mute chat,
//! leave guilds), so it is a cross-domain event: declared once in its own domain, published
//! once on its own topic, and listed by the dispatch enum of every domain that acts on it
//! (`CombatEvent::PlayerBanned` …), whose consumers therefore also read `game.player.events`.

use chrono::{DateTime, Utc};
use event_core::catalog::{example_time, Example};
use event_core::{EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};
use uuid::{uuid, Uuid};

event_core::domain! {
    /// Player: account-level events every other domain enforces.
    ///
    /// An event without `key = ..` is keyed by its `player_id`.
    pub struct Player {
        name: "player",
        topic: "game.player.events",
        partitions: 6,
        retention_days: 90,
        priority: High,
        key_fields: [player_id],
        producers: ["account-service"],
        consumers: ["analytics", "combat-service", "economy-service", "social-service"],
        dead_letter_readers: ["operations"],
    }
}

/// Why a player was banned.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum BanReason {
    /// Cheating confirmed by anti-cheat or a moderator.
    Cheating,
    /// Real-money trading or fraud.
    Fraud,
    /// Abuse of other players.
    Harassment,
    /// A chargeback or payment dispute.
    PaymentDispute,
}

/// A player was banned: every domain stops serving them until `until` (or for good).
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("player.account.banned", version = "1.0.0", binary)]
pub struct PlayerBanned {
    /// The banned player.
    pub player_id: Uuid,
    /// The ban, for appeals and audits.
    pub ban_id: Uuid,
    /// Why.
    pub reason: BanReason,
    /// The moderator or system that issued the ban.
    #[event(min_length = 1, max_length = 64)]
    pub issued_by: String,
    /// When the ban ends; none for a permanent ban.
    pub until: Option<DateTime<Utc>>,
}

impl Example for PlayerBanned {
    fn example() -> Self {
        PlayerBanned {
            player_id: uuid!("0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30"),
            ban_id: uuid!("e3a9c5f1-7b2d-4c8e-9f4a-6d1b3e5c7a28"),
            reason: BanReason::Cheating,
            issued_by: "anticheat-service".to_owned(),
            until: Some(example_time(14 * 24 * 3600)),
        }
    }
}
