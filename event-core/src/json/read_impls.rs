//! [`ReadJson`] for the standard types, ids and UTC timestamps: what serde's impls read from
//! serde_json, or [`Bail`] where the fast reader leaves the input to serde_json.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasher, Hash};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};

use super::parser::{Bail, Parser};
use super::uuid_text::hyphenated_uuid;
use super::ReadJson;

type Read<T> = Result<T, Bail>;

impl ReadJson for bool {
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        parser.boolean()
    }
}

impl ReadJson for () {
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        parser.null()
    }
}

macro_rules! unsigned {
    ($($ty:ty),*) => {$(
        impl ReadJson for $ty {
            #[inline]
            fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
                <$ty>::try_from(parser.unsigned()?).map_err(|_| Bail)
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

macro_rules! signed {
    ($($ty:ty),*) => {$(
        impl ReadJson for $ty {
            #[inline]
            fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
                <$ty>::try_from(parser.signed()?).map_err(|_| Bail)
            }
        }
    )*};
}
signed!(i8, i16, i32, i64, isize);

impl ReadJson for f64 {
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        parser.float()
    }
}

impl ReadJson for f32 {
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        parser.float32()
    }
}

impl ReadJson for String {
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        parser.string().map(Cow::into_owned)
    }
}

/// serde reads a `Cow<str>` as an owned string.
impl ReadJson for Cow<'_, str> {
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        parser.string().map(|text| Cow::Owned(text.into_owned()))
    }
}

impl ReadJson for char {
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        let text = parser.string()?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(Bail),
        }
    }
}

impl ReadJson for uuid::Uuid {
    /// The hyphenated form directly; every other form uuid's `FromStr` takes through it, as
    /// uuid's `Deserialize` does.
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        parser.sized_string_with::<36, _>(hyphenated_uuid, |text| uuid::Uuid::try_parse(text).ok())
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with 1–9 fraction digits, the form chrono writes; `None`
/// for any other text.
fn canonical_utc(text: &[u8]) -> Option<DateTime<Utc>> {
    fn number(digits: &[u8]) -> Option<u32> {
        digits.iter().try_fold(0u32, |value, &digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + u32::from(digit - b'0'))
        })
    }
    if text.len() < 20 || text.last() != Some(&b'Z') {
        return None;
    }
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, byte)| text[at] != byte) {
        return None;
    }
    let year = number(&text[0..4])?;
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        number(&text[5..7])?,
        number(&text[8..10])?,
    )?;
    let nano = match &text[19..text.len() - 1] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            number(fraction)? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    // Second 60 (a leap second) is left to chrono.
    let time = NaiveTime::from_hms_nano_opt(
        number(&text[11..13])?,
        number(&text[14..16])?,
        number(&text[17..19]).filter(|second| *second < 60)?,
        nano,
    )?;
    Some(date.and_time(time).and_utc())
}

impl ReadJson for DateTime<Utc> {
    /// The canonical form directly; any other text through chrono's `FromStr`, as chrono's
    /// `Deserialize` does (which takes more forms: offsets, a space for `T` …).
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        parser.string_with(canonical_utc, |text| {
            text.parse::<DateTime<FixedOffset>>()
                .ok()
                .map(|time| time.with_timezone(&Utc))
        })
    }
}

impl<T: ReadJson> ReadJson for Option<T> {
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        if parser.peek() == Some(b'n') {
            parser.null().map(|()| None)
        } else {
            T::read_json(parser).map(Some)
        }
    }

    fn missing() -> Option<Self> {
        Some(None)
    }
}

impl<T: ReadJson> ReadJson for Box<T> {
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        T::read_json(parser).map(Box::new)
    }

    fn missing() -> Option<Self> {
        T::missing().map(Box::new)
    }
}

/// Reads the items of an array, handing each to `add`.
fn read_items<T: ReadJson>(parser: &mut Parser<'_>, mut add: impl FnMut(T)) -> Read<()> {
    if parser.begin_array()? {
        loop {
            add(T::read_json(parser)?);
            if !parser.next_item()? {
                break;
            }
        }
    }
    Ok(())
}

impl<T: ReadJson> ReadJson for Vec<T> {
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        let mut items = Vec::new();
        read_items(parser, |item| items.push(item))?;
        Ok(items)
    }
}

impl<T: ReadJson + Ord> ReadJson for BTreeSet<T> {
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        let mut items = BTreeSet::new();
        read_items(parser, |item| {
            items.insert(item);
        })?;
        Ok(items)
    }
}

impl<T: ReadJson, const N: usize> ReadJson for [T; N] {
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        let items: Vec<T> = Vec::read_json(parser)?;
        items.try_into().map_err(|_| Bail)
    }
}

/// A map key: serde_json reads keys as strings.
pub trait ReadKey: Sized {
    /// The key from its text.
    fn read_key(parser: &mut Parser<'_>) -> Read<Self>;
}

impl ReadKey for String {
    fn read_key(parser: &mut Parser<'_>) -> Read<Self> {
        parser.string().map(Cow::into_owned)
    }
}

impl ReadKey for uuid::Uuid {
    fn read_key(parser: &mut Parser<'_>) -> Read<Self> {
        uuid::Uuid::read_json(parser)
    }
}

/// Reads the members of an object; a repeated key replaces the earlier value, as serde's map
/// impls do.
fn read_entries<K: ReadKey, V: ReadJson>(
    parser: &mut Parser<'_>,
    mut add: impl FnMut(K, V),
) -> Read<()> {
    if parser.begin_object()? {
        loop {
            let key = K::read_key(parser)?;
            parser.colon()?;
            add(key, V::read_json(parser)?);
            if !parser.next_member()? {
                break;
            }
        }
    }
    Ok(())
}

impl<K: ReadKey + Ord, V: ReadJson> ReadJson for BTreeMap<K, V> {
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        let mut map = BTreeMap::new();
        read_entries(parser, |key, value| {
            map.insert(key, value);
        })?;
        Ok(map)
    }
}

impl<K: ReadKey + Eq + Hash, V: ReadJson, S: BuildHasher + Default> ReadJson for HashMap<K, V, S> {
    fn read_json(parser: &mut Parser<'_>) -> Read<Self> {
        let mut map = HashMap::with_hasher(S::default());
        read_entries(parser, |key, value| {
            map.insert(key, value);
        })?;
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};

    fn same_as_serde<T>(text: &str)
    where
        T: ReadJson + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let oracle = serde_json::from_str::<T>(text).ok();
        let mut parser = Parser::new(text.as_bytes());
        let ours = T::read_json(&mut parser).and_then(|v| parser.finish().map(|()| v));
        // Bailing is allowed (serde_json decides then); a value must be serde_json's.
        if let Ok(value) = ours {
            assert_eq!(Some(value), oracle, "{text}");
        }
    }

    #[test]
    fn ids_as_uuid_reads_them() {
        for text in [
            "0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30",
            "0B9E7A52-3C1D-4F8E-A6B2-9D4C8E1F7A30",
            "0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a3g",
            "0b9e7a52-3c1d-4f8e-a6b2_9d4c8e1f7a30",
            "0b9e7a523c1d4f8ea6b29d4c8e1f7a30",
            "urn:uuid:0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30",
        ] {
            let oracle = uuid::Uuid::try_parse(text).ok();
            if let Some(id) = hyphenated_uuid(text.as_bytes()) {
                assert_eq!(Some(id), oracle, "{text}");
            }
            same_as_serde::<uuid::Uuid>(&format!("{text:?}"));
        }
        assert!(hyphenated_uuid(b"0B9E7A52-3C1D-4F8E-A6B2-9D4C8E1F7A30").is_some());
    }

    #[test]
    fn ids_read_in_place_agree_with_serde_whatever_byte_is_changed() {
        // Every byte of the 36, and the quote after them, replaced by every byte value, raw
        // and as an escape: what the in-place read accepts must be serde_json's value, and it
        // must never take a quote, backslash or control byte for a digit.
        let id = *b"\"0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30\"";
        for at in 1..=37 {
            for byte in 0..=u8::MAX {
                let mut text = id.to_vec();
                text[at] = byte;
                if let Ok(text) = std::str::from_utf8(&text) {
                    same_as_serde::<uuid::Uuid>(text);
                    same_as_serde::<uuid::Uuid>(&format!("{text} "));
                }
                let escaped = format!(
                    "{}\\u{:04x}{}",
                    std::str::from_utf8(&id[..at]).unwrap(),
                    byte,
                    std::str::from_utf8(&id[at + 1..]).unwrap()
                );
                same_as_serde::<uuid::Uuid>(&escaped);
            }
        }
        // Read in place, then the parser goes on after the closing quote.
        let text =
            r#"["0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30","00000000-0000-0000-0000-00000000000A"]"#;
        let mut parser = Parser::new(text.as_bytes());
        let ids = <Vec<uuid::Uuid>>::read_json(&mut parser).map_err(|_| ());
        assert_eq!(
            ids,
            Ok(serde_json::from_str::<Vec<uuid::Uuid>>(text).unwrap())
        );
        let mut parser = Parser::new(br#""0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30"   "#);
        assert!(uuid::Uuid::read_json(&mut parser).is_ok());
        assert!(parser.finish().is_ok());
    }

    #[test]
    fn timestamps_as_chrono_reads_them() {
        let base = Utc.with_ymd_and_hms(2026, 11, 20, 18, 4, 12).unwrap();
        for nanos in [0, 1, 120_000_000, 999_999_999] {
            let time = base.with_nanosecond(nanos).unwrap();
            let text = serde_json::to_string(&time).unwrap();
            let mut parser = Parser::new(text.as_bytes());
            assert_eq!(DateTime::<Utc>::read_json(&mut parser), Ok(time));
        }
        for text in [
            r#""2026-11-20T18:04:12.5Z""#,
            r#""2026-11-20T18:04:12+01:00""#,
            r#""2026-11-20 18:04:12Z""#,
            r#""2026-02-30T18:04:12Z""#,
            r#""2026-11-20T24:00:00Z""#,
            r#""2016-12-31T23:59:60Z""#,
            r#""2026-11-20T18:04:12.1234567891Z""#,
            r#""2026-11-20T18:04:12.Z""#,
            r#""+2026-11-20T18:04:12Z""#,
        ] {
            same_as_serde::<DateTime<Utc>>(text);
        }
        assert!(canonical_utc(b"2026-11-20T18:04:12.5Z").is_some());
    }

    #[test]
    fn numbers_and_containers_as_serde_reads_them() {
        for text in ["255", "256", "-1", "1.0", " 7 ", "1e1", "-0"] {
            same_as_serde::<u8>(text);
            same_as_serde::<i16>(text);
            same_as_serde::<f32>(text);
            same_as_serde::<f64>(text);
        }
        same_as_serde::<Vec<Option<u8>>>("[1, null ,2]");
        same_as_serde::<Vec<u8>>("[1,]");
        same_as_serde::<[u8; 2]>("[1,2]");
        same_as_serde::<[u8; 2]>("[1,2,3]");
        same_as_serde::<BTreeMap<String, u8>>(r#"{"a":1,"a":2}"#);
        same_as_serde::<HashMap<uuid::Uuid, bool>>(
            r#"{"0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30":true}"#,
        );
        same_as_serde::<char>(r#""é""#);
        same_as_serde::<char>(r#""ab""#);
        same_as_serde::<uuid::Uuid>(r#""{0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30}""#);
        same_as_serde::<uuid::Uuid>(r#""0B9E7A523C1D4F8EA6B29D4C8E1F7A30""#);
        same_as_serde::<Cow<'static, str>>(r#""x\ny""#);
    }
}
