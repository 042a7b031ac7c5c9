use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

const NAME: &str = "combat.session.start";

#[derive(KafkaEvent, Serialize, Deserialize)]
pub struct Missing {
    pub id: u32,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event(NAME)]
pub struct NotALiteral {
    pub id: u32,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start")]
#[event("combat.session.end")]
pub struct Twice {
    pub id: u32,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event(version = "1.0.0")]
pub struct NoName {
    pub id: u32,
}

fn main() {}
