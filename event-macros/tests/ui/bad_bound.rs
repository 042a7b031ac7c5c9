use event_core::EventSchema;
use serde::{Deserialize, Serialize};

#[derive(EventSchema, Serialize, Deserialize)]
#[event(bound = "T:: Clone +")]
pub struct NotAWhereClause<T> {
    pub value: T,
}

#[derive(EventSchema, Serialize, Deserialize)]
#[event(bound = 7)]
pub struct NotAString<T> {
    pub value: T,
}

fn main() {}
