use event_core::EventSchema;
use serde::{Deserialize, Serialize};

#[derive(EventSchema, Serialize, Deserialize)]
#[event(binary = "no", read_json = 1)]
pub struct Flags {
    pub a: u8,
}

#[derive(EventSchema, Serialize, Deserialize)]
#[event(read_json = false, read_json = false)]
pub struct Twice {
    pub a: u8,
}

// The binary form is derived for types without parameters only.
#[derive(EventSchema, Serialize, Deserialize)]
#[event(binary)]
pub struct Generic<T> {
    pub a: T,
}

#[derive(EventSchema, Serialize, Deserialize)]
#[event(binary, binary = true)]
pub struct BinaryTwice {
    pub a: u8,
}

fn main() {}
