//! The envelope's reader, written by hand (`#[event(read_json = false)]` on [`Envelope`] and
//! [`Metadata`]) for one thing the derive cannot know: the event type, version and time to
//! live an envelope of `T` usually carries. Read text equal to `T`'s name and version or to its
//! domain's [`DEFAULT_TTL`](crate::Domain::DEFAULT_TTL) is borrowed from those constants
//! instead of allocated, three allocations less per record; any other text is kept (and the
//! codec refuses another name or major version after). The members and their rules are the
//! derive's: serde's names, `correlation_id`, `session_id` and `player_id` absent as `None`,
//! the rest required, an unknown or repeated member a bail.

use std::borrow::Cow;

use super::parser::{Bail, Parser};
use super::ReadJson;
use crate::envelope::{Envelope, Metadata};
use crate::{Domain, KafkaEvent};

/// The envelope's members, in the order serde writes them.
const ENVELOPE_MEMBERS: &[&[u8]] = &[
    b"event_id",
    b"event_type",
    b"timestamp",
    b"version",
    b"source",
    b"correlation_id",
    b"session_id",
    b"player_id",
    b"data",
    b"metadata",
];

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

/// A name read as `expected` when it is that text: compared where it stands when it is
/// written as it is (an event type, a version or a ttl needs no escape), else read.
fn constant(parser: &mut Parser<'_>, expected: &'static str) -> Result<Cow<'static, str>, Bail> {
    if parser.string_is(expected.as_bytes()) {
        return Ok(Cow::Borrowed(expected));
    }
    let text = parser.string()?;
    Ok(if text == expected {
        Cow::Borrowed(expected)
    } else {
        Cow::Owned(text.into_owned())
    })
}

/// Reads an object's members, handing each member's index in `names` to `read`, which reads
/// its value.
#[inline]
fn members(
    parser: &mut Parser<'_>,
    names: &[&[u8]],
    mut read: impl FnMut(usize, &mut Parser<'_>) -> Result<(), Bail>,
) -> Result<(), Bail> {
    if parser.begin_object()? {
        let mut next = 0;
        loop {
            let index = parser.member(names, &mut next)?;
            read(index, parser)?;
            if !parser.next_member()? {
                break;
            }
        }
    }
    Ok(())
}

/// The metadata, its `ttl` borrowed when it is `usual_ttl`.
fn metadata(parser: &mut Parser<'_>, usual_ttl: &'static str) -> Result<Metadata, Bail> {
    let mut priority = None;
    let mut ttl = None;
    let mut retry_count = None;
    members(
        parser,
        &[b"priority", b"ttl", b"retry_count"],
        |index, parser| match index {
            0 => fill(&mut priority, ReadJson::read_json(parser)?),
            1 => fill(&mut ttl, constant(parser, usual_ttl)?),
            2 => fill(&mut retry_count, ReadJson::read_json(parser)?),
            _ => Err(Bail),
        },
    )?;
    Ok(Metadata {
        priority: priority.ok_or(Bail)?,
        ttl: ttl.ok_or(Bail)?,
        retry_count: retry_count.ok_or(Bail)?,
    })
}

/// Metadata read on its own knows no domain: its `ttl` is kept as read.
impl ReadJson for Metadata {
    fn read_json(parser: &mut Parser<'_>) -> Result<Self, Bail> {
        metadata(parser, "")
    }
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
        members(parser, ENVELOPE_MEMBERS, |index, parser| match index {
            0 => fill(&mut event_id, ReadJson::read_json(parser)?),
            1 => fill(&mut event_type, constant(parser, T::EVENT_TYPE)?),
            2 => fill(&mut timestamp, ReadJson::read_json(parser)?),
            3 => fill(&mut version, constant(parser, T::VERSION.as_str())?),
            4 => fill(&mut source, ReadJson::read_json(parser)?),
            5 => fill(&mut correlation_id, ReadJson::read_json(parser)?),
            6 => fill(&mut session_id, ReadJson::read_json(parser)?),
            7 => fill(&mut player_id, ReadJson::read_json(parser)?),
            8 => fill(&mut data, T::read_json(parser)?),
            9 => fill(
                &mut metadata,
                self::metadata(parser, <T::Domain as Domain>::DEFAULT_TTL)?,
            ),
            _ => Err(Bail),
        })?;
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
        assert_eq!(back.metadata.ttl, "1d");
        assert!(matches!(back.metadata.ttl, Cow::Borrowed(_)));

        let shorter = Envelope::new(Attack { damage: 3 }).with_ttl("30m");
        let shorter = read(&serde_json::to_string(&shorter).unwrap()).unwrap();
        assert_eq!(shorter.metadata.ttl, "30m");
        assert!(matches!(shorter.metadata.ttl, Cow::Owned(_)));
        let alone: Metadata =
            super::super::read_fast(br#"{"priority":"low","ttl":"1d","retry_count":2}"#).unwrap();
        assert_eq!(alone.ttl, "1d");
        assert_eq!(alone.retry_count, 2);

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
        assert_eq!(read(&json.replace("\"ttl\"", "\"expiry\"")), Err(Bail));
        assert_eq!(
            read(&json.replace("\"retry_count\"", "\"ttl\":\"1d\",\"retry_count\"")),
            Err(Bail)
        );
        assert_eq!(read(&json.replace(",\"retry_count\":0", "")), Err(Bail));
        let without_metadata = json.split(",\"metadata\"").next().unwrap().to_owned() + "}";
        assert_eq!(read(&without_metadata), Err(Bail));
        assert!(serde_json::from_str::<Envelope<Attack>>(&without_metadata).is_err());
    }
}
