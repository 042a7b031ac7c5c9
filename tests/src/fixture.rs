//! A catalog of the tests' own: a domain and events that no evolution of the game's catalog
//! changes, for the tests of the codec, the binary record and the snapshot gate.

use event_core::catalog::Example;
use event_core::{DomainEvents, Envelope, EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

event_core::domain! {
    /// The fixture domain of the tests.
    pub struct Arena {
        name: "arena",
        topic: "test.arena.events",
        partitions: 3,
        retention_days: 1,
        priority: Normal,
        key_fields: [match_id],
    }
}

/// How a match is played (a definition the event refers to).
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[event(binary)]
pub enum Mode {
    /// Everyone for themselves.
    Deathmatch,
    /// Two teams.
    Teams,
}

/// A match started.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("arena.match.start", version = "1.0.0", binary)]
pub struct MatchStart {
    /// The match.
    pub match_id: Uuid,
    /// Map identifier.
    #[event(min_length = 1, max_length = 64)]
    pub map_id: String,
    /// How the match is played.
    pub mode: Mode,
    /// Player slots.
    #[event(minimum = 2, maximum = 128)]
    pub max_players: u16,
    /// Players placed in the match.
    #[event(max_items = 128, unique_items)]
    pub player_ids: Vec<Uuid>,
    /// Whether results count for ranking.
    pub ranked: bool,
    /// Free-form operator note.
    #[event(max_length = 256)]
    pub note: Option<String>,
}

impl Example for MatchStart {
    fn example() -> Self {
        MatchStart {
            match_id: Uuid::from_u128(0x5f1c_2d9e_8a4b_4c3d_9e2f_1a7b_6c5d_4e3f),
            map_id: "dust_valley_v3".to_owned(),
            mode: Mode::Teams,
            max_players: 16,
            player_ids: vec![Uuid::from_u128(1), Uuid::from_u128(2)],
            ranked: true,
            note: None,
        }
    }
}

/// A match ended.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("arena.match.end", version = "1.0.0", binary)]
pub struct MatchEnd {
    /// The match.
    pub match_id: Uuid,
    /// The winning player, if any.
    pub winner: Option<Uuid>,
}

impl Example for MatchEnd {
    fn example() -> Self {
        MatchEnd {
            match_id: Uuid::from_u128(0x5f1c_2d9e_8a4b_4c3d_9e2f_1a7b_6c5d_4e3f),
            winner: Some(Uuid::from_u128(1)),
        }
    }
}

/// An announcement to every player: no field of the domain's `key_fields`, so no key.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("arena.announcement.posted", version = "1.0.0")]
pub struct AnnouncementPosted {
    /// The text shown.
    #[event(min_length = 1, max_length = 280)]
    pub message: String,
}

impl Example for AnnouncementPosted {
    fn example() -> Self {
        AnnouncementPosted {
            message: "Double points this weekend".to_owned(),
        }
    }
}

/// The fixture domain's match events, as a match service's consumer receives them.
#[derive(DomainEvents, Debug, Clone, PartialEq)]
pub enum ArenaEvent {
    /// [`MatchStart`].
    MatchStart(Envelope<MatchStart>),
    /// [`MatchEnd`].
    MatchEnd(Envelope<MatchEnd>),
}
