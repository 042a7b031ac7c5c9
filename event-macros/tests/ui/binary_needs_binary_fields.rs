use event_core::{domain, EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};

domain! { pub struct Arena { name: "arena", topic: "arena.events", partitions: 1, retention_days: 1, priority: High } }

// JSON only: no `#[event(binary)]`.
#[derive(EventSchema, Serialize, Deserialize, Debug, PartialEq)]
pub struct Position {
    pub x: f32,
    pub y: f32,
}

// A binary event needs a binary form of every type it holds: the first error points at the
// field's type and says how to give it one.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, PartialEq)]
#[event("arena.player.moved", binary)]
pub struct PlayerMoved {
    pub to: Position,
}

fn main() {}
