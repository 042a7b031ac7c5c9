use event_core::{EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};

// A bad attribute is reported once, at its token; the uses of the type below compile against
// the derive's fallback impls instead of adding errors of their own.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start", version = "1.0")]
pub struct SessionStart {
    pub session_id: u32,
}

#[derive(EventSchema, Serialize, Deserialize)]
pub struct Score {
    #[event(max_length = 3)]
    pub points: u32,
}

fn main() {
    let _ = SessionStart::json_schema();
    let _ = SessionStart::TOPIC;
    let _ = <Score as EventSchema>::schema_id();
}
