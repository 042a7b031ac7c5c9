use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

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
