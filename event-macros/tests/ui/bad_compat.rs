use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start", compat = "sideways")]
pub struct UnknownMode {
    pub id: u32,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.end", compat = BACKWARD)]
pub struct NotAString {
    pub id: u32,
}

fn main() {}
