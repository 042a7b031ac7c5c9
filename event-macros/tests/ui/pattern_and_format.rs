use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start")]
pub struct Patterns {
    #[event(pattern = "^[a-z+$")]
    pub map: String,
    #[event(format = "colour")]
    pub tint: String,
}

fn main() {}
