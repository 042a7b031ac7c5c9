use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

// No `Matchmaking` domain is declared or imported: the error points at the event name.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("matchmaking.queue.join")]
pub struct QueueJoin {
    pub queue: String,
}

fn main() {}
