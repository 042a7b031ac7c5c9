use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start", key = match_id)]
pub struct UnknownKeyField {
    pub session_id: u32,
    pub map: String,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.end", key = cache)]
pub struct SkippedKeyField {
    pub session_id: u32,
    #[serde(skip)]
    pub cache: String,
}

fn main() {}
