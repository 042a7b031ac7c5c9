//! [`Personal`]: the value of a `#[event(pii)]` field.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::json::{write_str, Bail, Parser, ReadJson, WriteJson};
use crate::layout::LayoutClass;
use crate::schema::{InstanceType, Schema, SchemaGenerator, StringKeywords};
use crate::validate::Validate;
use crate::EventSchema;

/// A string that is personal data. Written as a JSON string (the clear text, or the
/// ciphertext the producer put there); read as [`Personal::Clear`] when the consumer could
/// decrypt it (or it was never encrypted), [`Personal::Sealed`] when it could not.
///
/// Its `Debug` shows the length, never the text; read the text with
/// [`clear_text`](Personal::clear_text).
///
/// ```
/// use event_core::personal::Personal;
/// let name = Personal::from("Ada");
/// assert_eq!(name.clear_text(), Some("Ada"));
/// assert_eq!(format!("{name:?}"), "Personal(<3 characters>)");
/// assert_eq!(serde_json::to_string(&name).unwrap(), "\"Ada\"");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub enum Personal {
    /// The clear text.
    Clear(String),
    /// Ciphertext this reader could not (or may no longer) decrypt.
    Sealed(Sealed),
}

/// A field the consumer could not decrypt: why, and the value as it was on the wire.
#[derive(Clone, PartialEq, Eq, Hash, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Sealed {
    /// Why it is sealed.
    pub reason: SealReason,
    /// The value on the wire (the base64 ciphertext), written back unchanged if the event is
    /// produced again.
    pub wire: String,
}

/// Why a [`Personal`] value stayed sealed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize,
)]
pub enum SealReason {
    /// The consumer has no key provider.
    NoKeyProvider,
    /// The data subject's key was erased: the data is gone for good.
    Erased,
    /// No key for this ciphertext is known (never shared with this reader, or compacted away
    /// after its erasure).
    KeyUnavailable,
}

impl SealReason {
    /// A stable name: `no_key_provider`, `erased`, `key_unavailable`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SealReason::NoKeyProvider => "no_key_provider",
            SealReason::Erased => "erased",
            SealReason::KeyUnavailable => "key_unavailable",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [
            SealReason::NoKeyProvider,
            SealReason::Erased,
            SealReason::KeyUnavailable,
        ]
        .into_iter()
        .find(|reason| reason.as_str() == name)
    }
}

impl Personal {
    /// The clear text, or `None` when sealed.
    pub fn clear_text(&self) -> Option<&str> {
        match self {
            Personal::Clear(text) => Some(text),
            Personal::Sealed(_) => None,
        }
    }

    /// Why it is sealed, or `None` for clear text.
    pub fn seal_reason(&self) -> Option<SealReason> {
        match self {
            Personal::Clear(_) => None,
            Personal::Sealed(sealed) => Some(sealed.reason),
        }
    }

    /// Whether the data subject's key was erased.
    pub fn is_erased(&self) -> bool {
        self.seal_reason() == Some(SealReason::Erased)
    }

    /// The JSON value a consumer puts where it could not decrypt `wire`, for the
    /// deserializer to read as [`Personal::Sealed`]: `{"sealed": reason, "wire": wire}`. Never
    /// written to Kafka (a sealed value serializes as its wire string).
    pub fn sealed_marker(reason: SealReason, wire: String) -> serde_json::Value {
        serde_json::json!({ SEALED_KEY: reason.as_str(), WIRE_KEY: wire })
    }
}

const SEALED_KEY: &str = "sealed";
const WIRE_KEY: &str = "wire";

impl From<String> for Personal {
    fn from(text: String) -> Self {
        Personal::Clear(text)
    }
}

impl From<&str> for Personal {
    fn from(text: &str) -> Self {
        Personal::Clear(text.to_owned())
    }
}

impl fmt::Debug for Personal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Personal::Clear(text) => {
                write!(f, "Personal(<{} characters>)", text.chars().count())
            }
            Personal::Sealed(sealed) => write!(f, "Personal({sealed:?})"),
        }
    }
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sealed({})", self.reason.as_str())
    }
}

impl Serialize for Personal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Personal::Clear(text) => serializer.serialize_str(text),
            Personal::Sealed(sealed) => serializer.serialize_str(&sealed.wire),
        }
    }
}

/// Written as its `Serialize` writes it: the clear text, or a sealed value's wire string.
impl WriteJson for Personal {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        match self {
            Personal::Clear(text) => write_str(out, text),
            Personal::Sealed(sealed) => write_str(out, &sealed.wire),
        }
        Ok(())
    }
}

/// A string is clear text, as `Deserialize` reads it; the consumer's sealed marker (an object,
/// never on the wire) and anything else are left to serde_json.
impl ReadJson for Personal {
    #[inline]
    fn read_json(parser: &mut Parser<'_>) -> Result<Self, Bail> {
        match parser.peek() {
            Some(b'"') => parser
                .string()
                .map(|text| Personal::Clear(text.into_owned())),
            _ => Err(Bail),
        }
    }
}

impl<'de> Deserialize<'de> for Personal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PersonalVisitor)
    }
}

struct PersonalVisitor;

impl<'de> Visitor<'de> for PersonalVisitor {
    type Value = Personal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Personal, E> {
        Ok(Personal::Clear(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Personal, E> {
        Ok(Personal::Clear(text))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Personal, A::Error> {
        let (mut reason, mut wire) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                SEALED_KEY => {
                    let name: String = map.next_value()?;
                    reason = Some(SealReason::parse(&name).ok_or_else(|| {
                        de::Error::custom("unknown seal reason of a personal field")
                    })?);
                }
                WIRE_KEY => wire = Some(map.next_value::<String>()?),
                _ => return Err(de::Error::custom("a personal field is a string")),
            }
        }
        match (reason, wire) {
            (Some(reason), Some(wire)) => Ok(Personal::Sealed(Sealed { reason, wire })),
            _ => Err(de::Error::custom("a personal field is a string")),
        }
    }
}

impl EventSchema for Personal {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;

    fn schema(_: &mut SchemaGenerator) -> Schema {
        Schema::of_type(InstanceType::String)
    }
}

/// Constraints (`max_length`, `format` …) apply to the clear text; a sealed value has none to
/// check here (they were checked before it was encrypted).
impl StringKeywords for Personal {
    fn string_value(&self) -> Option<&str> {
        self.clear_text()
    }
}

impl Validate for Personal {}

impl crate::binary::Binary for Personal {
    type With = crate::binary::Native;
}

/// The types `#[event(pii)]` applies to: [`Personal`] and `Option<Personal>`.
#[diagnostic::on_unimplemented(
    message = "`pii` applies to `event_core::personal::Personal` fields, but this one is `{Self}`",
    label = "`pii` used on a field of type `{Self}`",
    note = "personal data is a string that may arrive sealed (encrypted, erased): declare the field as `Personal` or `Option<Personal>`"
)]
pub trait PersonalKeywords {
    /// The value, or `None` for an `Option` that is `None`.
    fn personal(&self) -> Option<&Personal>;
}

impl PersonalKeywords for Personal {
    fn personal(&self) -> Option<&Personal> {
        Some(self)
    }
}

impl PersonalKeywords for Option<Personal> {
    fn personal(&self) -> Option<&Personal> {
        self.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_marker_reads_as_sealed_and_writes_its_wire_string() {
        let marker = Personal::sealed_marker(SealReason::Erased, "AAAA".into());
        let personal: Personal = serde_json::from_value(marker).unwrap();
        assert!(personal.is_erased());
        assert_eq!(personal.clear_text(), None);
        assert_eq!(serde_json::to_value(&personal).unwrap(), "AAAA");
        assert_eq!(format!("{personal:?}"), "Personal(Sealed(erased))");
    }

    #[test]
    fn anything_but_a_string_or_a_marker_is_refused() {
        for bad in [
            serde_json::json!(3),
            serde_json::json!({"sealed": "erased"}),
            serde_json::json!({"sealed": "nope", "wire": "x"}),
            serde_json::json!({"text": "x"}),
        ] {
            assert!(serde_json::from_value::<Personal>(bad).is_err());
        }
    }

    #[test]
    fn the_derived_codec_reads_and_writes_what_serde_json_does() {
        let sealed = Personal::Sealed(Sealed {
            reason: SealReason::KeyUnavailable,
            wire: "AAAA\"x".into(),
        });
        for value in [
            Personal::from("10.20.30.41"),
            Personal::from("a\"\u{7}é"),
            sealed,
        ] {
            let written = crate::json::to_vec(&value).unwrap();
            assert_eq!(written, serde_json::to_vec(&value).unwrap());
        }
        for text in [r#""Ada""#, r#""a\u00e9\n""#, r#" "x" "#] {
            let fast = crate::json::read_fast::<Personal>(text.as_bytes());
            assert_eq!(
                fast.ok(),
                serde_json::from_str::<Personal>(text).ok(),
                "{text}"
            );
        }
        // The consumer's sealed marker and anything not a string: serde_json's, whole.
        for text in [r#"{"sealed":"erased","wire":"AAAA"}"#, "3", "null"] {
            assert_eq!(
                crate::json::read_fast::<Personal>(text.as_bytes()),
                Err(Bail)
            );
            let read = crate::json::from_slice::<Personal>(text.as_bytes());
            assert_eq!(
                read.ok(),
                serde_json::from_str::<Personal>(text).ok(),
                "{text}"
            );
        }
    }
}
