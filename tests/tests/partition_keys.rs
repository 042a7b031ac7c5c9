//! Partition keys of derived events: the field named by `key = field`, else the first of the
//! domain's `key_fields` the event has (its Rust name, whatever its wire name), and
//! `KEY_FIELD` naming that field's wire name, as the export writes it.

use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

event_core::domain! {
    /// Keyed by session, then by player.
    pub struct Lobby {
        name: "lobby",
        topic: "test.lobby.events",
        partitions: 3,
        retention_days: 1,
        priority: Low,
        key_fields: [session_id, player_id],
    }
}

event_core::domain! {
    /// No key fields.
    pub struct Chat {
        name: "chat",
        topic: "test.chat.events",
        partitions: 3,
        retention_days: 1,
        priority: Low,
    }
}

/// Both key fields, the domain's second first.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("lobby.player.join")]
pub struct PlayerJoin {
    pub player_id: Uuid,
    pub session_id: Uuid,
    pub seat: u8,
}

/// The key field renamed on the wire.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("lobby.player.leave")]
#[serde(rename_all = "camelCase")]
pub struct PlayerLeave {
    pub reason: String,
    pub player_id: Uuid,
}

/// A key named by `key = field`, not one of the domain's.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("lobby.seat.claim", key = seat)]
pub struct SeatClaim {
    pub session_id: Uuid,
    pub seat: u32,
}

/// The domain's key field, of a type that gives no key.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("lobby.session.flag")]
pub struct SessionFlag {
    pub session_id: bool,
}

/// An optional key field.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("lobby.player.idle")]
pub struct PlayerIdle {
    pub player_id: Option<Uuid>,
}

/// None of the domain's key fields.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("lobby.server.tick")]
pub struct ServerTick {
    pub tick: u64,
}

/// A domain without key fields.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("chat.message.send")]
pub struct MessageSend {
    pub session_id: Uuid,
}

fn id(text: &str) -> Uuid {
    text.parse().expect("a uuid")
}

const SESSION: &str = "6f1b2c3d-0000-4000-8000-000000000001";
const PLAYER: &str = "6f1b2c3d-0000-4000-8000-000000000002";

#[test]
fn the_first_of_the_domains_key_fields_the_event_has_is_the_key() {
    let join = PlayerJoin {
        player_id: id(PLAYER),
        session_id: id(SESSION),
        seat: 3,
    };
    assert_eq!(PlayerJoin::KEY_FIELD, Some("session_id"));
    assert_eq!(join.partition_key(), Some(SESSION.as_bytes().to_vec()));
}

#[test]
fn a_renamed_key_field_is_found_by_its_rust_name_and_named_by_its_wire_name() {
    let leave = PlayerLeave {
        reason: "quit".into(),
        player_id: id(PLAYER),
    };
    assert_eq!(PlayerLeave::KEY_FIELD, Some("playerId"));
    assert_eq!(leave.partition_key(), Some(PLAYER.as_bytes().to_vec()));
}

#[test]
fn a_key_named_on_the_event_wins_over_the_domains() {
    let claim = SeatClaim {
        session_id: id(SESSION),
        seat: 42,
    };
    assert_eq!(SeatClaim::KEY_FIELD, Some("seat"));
    assert_eq!(claim.partition_key(), Some(b"42".to_vec()));
}

#[test]
fn a_key_field_of_a_type_without_key_bytes_is_named_but_gives_no_key() {
    assert_eq!(SessionFlag::KEY_FIELD, Some("session_id"));
    assert_eq!(SessionFlag { session_id: true }.partition_key(), None);
}

#[test]
fn an_optional_key_field_gives_its_value_or_no_key() {
    assert_eq!(PlayerIdle::KEY_FIELD, Some("player_id"));
    let idle = PlayerIdle {
        player_id: Some(id(PLAYER)),
    };
    assert_eq!(idle.partition_key(), Some(PLAYER.as_bytes().to_vec()));
    assert_eq!(PlayerIdle { player_id: None }.partition_key(), None);
}

#[test]
fn an_event_without_any_key_field_has_no_key() {
    assert_eq!(ServerTick::KEY_FIELD, None);
    assert_eq!(ServerTick { tick: 7 }.partition_key(), None);
    assert_eq!(MessageSend::KEY_FIELD, None);
    let send = MessageSend {
        session_id: id(SESSION),
    };
    assert_eq!(send.partition_key(), None);
}
