use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

// One build reports every mistake of the item at once.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.Session.start", version = "one", colour = "red")]
pub struct ManyMistakes {
    #[event(min_length = 9, max_length = 1)]
    pub map: String,
    #[event(speed = 3)]
    pub players: u16,
    #[event(pattern = "(")]
    pub code: String,
}

fn main() {}
