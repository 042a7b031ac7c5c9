use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("matchmaking.queue.join")]
pub struct QueueJoin {
    pub queue: String,
}

fn main() {}
