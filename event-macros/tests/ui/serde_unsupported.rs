use event_core::EventSchema;
use serde::{Deserialize, Serialize};

mod as_string {
    pub fn serialize<S: serde::Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        let s: String = serde::Deserialize::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(EventSchema, Serialize, Deserialize)]
pub struct CustomWith {
    #[serde(with = "as_string")]
    pub count: u32,
    #[serde(rename(serialize = "a", deserialize = "b"))]
    pub renamed: u32,
    #[serde(skip)]
    #[event(max_length = 3)]
    pub skipped: String,
}

#[derive(EventSchema, Serialize, Deserialize, Clone)]
#[serde(into = "u32", from = "u32")]
pub struct Converted {
    pub value: u32,
}

impl From<Converted> for u32 {
    fn from(c: Converted) -> u32 {
        c.value
    }
}
impl From<u32> for Converted {
    fn from(value: u32) -> Converted {
        Converted { value }
    }
}

fn main() {}
