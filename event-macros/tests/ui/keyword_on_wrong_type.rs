use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

event_core::domain! {
    pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High }
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start")]
pub struct WrongTypes {
    #[event(max_length = 4)]
    pub players: u16,
    #[event(minimum = 1)]
    pub map: String,
    #[event(max_items = 3)]
    pub name: Option<String>,
}

fn main() {}
