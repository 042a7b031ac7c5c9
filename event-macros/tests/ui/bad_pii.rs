use event_core::personal::Personal;
use event_core::KafkaEvent;
use serde::{Deserialize, Serialize};

event_core::domain! {
    pub struct Social { name: "social", topic: "game.social.events", partitions: 3, retention_days: 30, priority: Low }
}

// `pii` needs a `Personal` field: a plain string would reach the handler as ciphertext.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("social.chat.message_sent")]
pub struct PlainString {
    pub player_id: uuid::Uuid,
    #[event(pii)]
    pub text: String,
    #[event(pii)]
    pub age: u8,
}

// The data subject must be a serialised field.
#[derive(KafkaEvent, Serialize, Deserialize)]
#[event("social.chat.message_edited", data_subject = author)]
pub struct UnknownSubject {
    pub sender_id: uuid::Uuid,
    #[event(pii)]
    pub text: Personal,
}

fn main() {}
