use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("combat.session.start")]
pub struct Contradictions {
    #[event(minimum = 10, maximum = 2)]
    pub players: u16,
    #[event(min_length = 5, max_length = 4)]
    pub map: String,
    #[event(min_items = 3, max_items = 1)]
    pub ids: Vec<u32>,
    #[event(exclusive_minimum = 1, exclusive_maximum = 1)]
    pub ratio: f64,
    #[event(multiple_of = 0)]
    pub step: u32,
    #[event(maximum = 300)]
    pub level: u8,
    #[event(minimum = -1)]
    pub count: Option<u32>,
}

fn main() {}
