use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

event_core::domain! {
    /// Matchmaking queues.
    pub struct Matchmaking {
        name: "matchmaking",
        topic: "game.matchmaking.events",
        partitions: 6,
        retention_days: 3,
        priority: Normal,
    }
}

pub struct NotADomain;

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("lobby.queue.join", domain = Matchmaking)]
pub struct WrongDomain {
    pub queue: String,
}

#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("lobby.queue.leave", domain = NotADomain)]
pub struct NoDomainType {
    pub queue: String,
}

fn main() {}
