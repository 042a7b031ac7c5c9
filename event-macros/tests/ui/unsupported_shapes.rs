use event_core::{EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};

#[derive(EventSchema)]
pub union Bits {
    pub a: u32,
    pub b: f32,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start")]
pub enum NotAStruct {
    A,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.end")]
pub struct Tuple(pub u32);

#[derive(EventSchema, Serialize, Deserialize)]
#[event("combat.session.join")]
pub struct NamedButNotAnEvent {
    pub id: u32,
}

#[derive(EventSchema, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum TupleInInternal {
    Pair(u8, u8),
}

fn main() {}
