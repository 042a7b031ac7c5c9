use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start", version = "1.0")]
pub struct ShortVersion {
    pub id: u32,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.end", version = "01.0.0")]
pub struct LeadingZero {
    pub id: u32,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.join", version = 1)]
pub struct NotAString {
    pub id: u32,
}



#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.leave", version = "1.0.0-rc.1")]
pub struct PreRelease {
    pub id: u32,
}
fn main() {}
