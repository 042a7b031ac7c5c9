//! The envelope's reader, written by hand (`#[event(read_json = false)]` on [`Envelope`]) for
//! one thing the derive cannot know: the event type and version an envelope of `T` should
//! carry. Read text equal to `T`'s is borrowed from `T`'s constants instead of allocated, two
//! allocations less per record; any other text is kept, and the codec refuses it after. The
//! members and their rules are the derive's: serde's names, `correlation_id`, `session_id`
//! and `player_id` absent as `None`, the rest required, an unknown or repeated member a bail.

use std::borrow::Cow;

use super::parser::{Bail, Parser};
use super::ReadJson;
use crate::envelope::{Envelope, Metadata};
use crate::KafkaEvent;

/// Fills an empty slot; a repeated member bails (serde_json reports it).
fn fill<V>(slot: &mut Option<V>, value: V) -> Result<(), Bail> {
    match slot {
        Some(_) => Err(Bail),
        None => {
            *slot = Some(value);
            Ok(())
        }
    }
}

/// A name read as `expected` when it is that text.
fn constant(parser: &mut Parser<'_>, expected: &'static str) -> Result<Cow<'static, str>, Bail> {
    let text = parser.string()?;
    Ok(if text == expected {
        Cow::Borrowed(expected)
    } else {
        Cow::Owned(text.into_owned())
    })
}

impl<T: KafkaEvent> ReadJson for Envelope<T> {
    fn read_json(parser: &mut Parser<'_>) -> Result<Self, Bail> {
        let mut event_id = None;
        let mut event_type = None;
        let mut timestamp = None;
        let mut version = None;
        let mut source = None;
        let mut correlation_id = None;
        let mut session_id = None;
        let mut player_id = None;
        let mut data = None;
        let mut metadata = None;
        if parser.begin_object()? {
            loop {
                match parser.key()? {
                    b"event_id" => fill(&mut event_id, ReadJson::read_json(parser)?)?,
                    b"event_type" => fill(&mut event_type, constant(parser, T::EVENT_TYPE)?)?,
                    b"timestamp" => fill(&mut timestamp, ReadJson::read_json(parser)?)?,
                    b"version" => fill(&mut version, constant(parser, T::VERSION.as_str())?)?,
                    b"source" => fill(&mut source, ReadJson::read_json(parser)?)?,
                    b"correlation_id" => fill(&mut correlation_id, ReadJson::read_json(parser)?)?,
                    b"session_id" => fill(&mut session_id, ReadJson::read_json(parser)?)?,
                    b"player_id" => fill(&mut player_id, ReadJson::read_json(parser)?)?,
                    b"data" => fill(&mut data, T::read_json(parser)?)?,
                    b"metadata" => fill(&mut metadata, Metadata::read_json(parser)?)?,
                    _ => return Err(Bail),
                }
                if !parser.next_member()? {
                    break;
                }
            }
        }
        Ok(Envelope {
            event_id: event_id.ok_or(Bail)?,
            event_type: event_type.ok_or(Bail)?,
            timestamp: timestamp.ok_or(Bail)?,
            version: version.ok_or(Bail)?,
            source: source.ok_or(Bail)?,
            correlation_id: correlation_id.unwrap_or(None),
            session_id: session_id.unwrap_or(None),
            player_id: player_id.unwrap_or(None),
            data: data.ok_or(Bail)?,
            metadata: metadata.ok_or(Bail)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::domain! {
        pub struct Combat {
            name: "combat",
            topic: "game.combat.events",
            partitions: 1,
            retention_days: 1,
            priority: High,
            key_fields: [],
        }
    }

    #[derive(crate::KafkaEvent, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    #[event("combat.player.attack", version = "1.2.0")]
    pub struct Attack {
        pub damage: u32,
    }

    fn read(text: &str) -> Result<Envelope<Attack>, Bail> {
        super::super::read_fast(text.as_bytes())
    }

    #[test]
    fn the_expected_name_and_version_are_borrowed_others_kept() {
        let envelope = Envelope::new(Attack { damage: 3 }).with_session_id(uuid::Uuid::nil());
        let json = serde_json::to_string(&envelope).unwrap();
        let back = read(&json).unwrap();
        assert_eq!(back, envelope);
        assert!(matches!(back.event_type, Cow::Borrowed(_)));
        assert!(matches!(back.version, Cow::Borrowed(_)));

        let other = json.replace("combat.player.attack", "combat.player.defend");
        let other = read(&other).unwrap();
        assert_eq!(other.event_type(), "combat.player.defend");
        assert!(matches!(other.event_type, Cow::Owned(_)));
    }

    #[test]
    fn missing_repeated_and_unknown_members_bail() {
        let json = serde_json::to_string(&Envelope::new(Attack { damage: 3 })).unwrap();
        assert_eq!(read(&json.replace("\"source\"", "\"origin\"")), Err(Bail));
        assert_eq!(
            read(&json.replacen("{", r#"{"data":{"damage":1},"#, 1)),
            Err(Bail)
        );
        let without_metadata = json.split(",\"metadata\"").next().unwrap().to_owned() + "}";
        assert_eq!(read(&without_metadata), Err(Bail));
        assert!(serde_json::from_str::<Envelope<Attack>>(&without_metadata).is_err());
    }
}
