use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start", topic = "custom")]
pub struct UnknownContainerKey {
    #[event(max_len = 4)]
    pub map: String,
    #[event(maximum)]
    pub count: u32,
    #[event(minimum = "two")]
    pub level: u32,
}

fn main() {}
