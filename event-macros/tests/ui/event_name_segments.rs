use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.Session.start")]
pub struct BadEntity {
    pub id: u32,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.start")]
pub struct TwoSegments {
    pub id: u32,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.1start")]
pub struct BadAction {
    pub id: u32,
}

fn main() {}
