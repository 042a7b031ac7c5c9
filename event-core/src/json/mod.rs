//! The JSON writer of events: the same bytes as `serde_json::to_vec`, written without serde's
//! generic machinery.
//!
//! [`WriteJson`] is implemented for the standard types, [`uuid::Uuid`] and UTC timestamps, and
//! `#[derive(EventSchema)]` / `#[derive(KafkaEvent)]` implement it for every struct and enum they
//! derive, from the same `#[serde(..)]` attributes the schema reads. Object keys are written as
//! precomputed byte strings, timestamps and ids without `fmt`, and a field whose type has no
//! `WriteJson` (a hand-written `Serialize`) is written by `serde_json` itself, so the output
//! stays serde's. The tests keep `serde_json::to_vec` as the oracle: every catalog example, and
//! generated values with every character class, give the same bytes.
//!
//! ```
//! use event_core::json::WriteJson;
//! let mut out = Vec::new();
//! let value: Vec<Option<&str>> = vec![Some("a\"b"), None];
//! value.write_json(&mut out).unwrap();
//! assert_eq!(out, serde_json::to_vec(&value).unwrap());
//! assert_eq!(out, br#"["a\"b",null]"#);
//! ```

mod envelope;
mod escape;
mod members;
mod parser;
mod plain;
mod read_impls;
mod uuid_text;
mod write_impls;

pub use escape::write_str;
#[doc(hidden)]
pub use members::{
    Field, FirstError, Read, ViaBail, ViaDeserialize, ViaReadJson, ViaSerde, ViaUnwritable,
    ViaWriteJson,
};
pub use parser::{Bail, Parser, MAX_DEPTH};
pub(crate) use plain::plain_run;
pub use read_impls::ReadKey;
pub(crate) use uuid_text::quoted_hyphenated;
pub use write_impls::JsonKey;

/// A value that writes itself as JSON, byte for byte what `serde_json::to_vec` writes for it.
pub trait WriteJson {
    /// Appends the value's JSON to `out`. Fails only where serde_json fails (a field written
    /// through a `Serialize` impl that returns an error, a map key that is not a string); what
    /// was appended then is not JSON (a derived writer writes on past a failed member and
    /// returns the first error), so the caller drops it, as [`to_vec`] does.
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;
}

/// The value of `value` as JSON: [`WriteJson`] into a buffer sized for a typical envelope.
///
/// ```
/// assert_eq!(event_core::json::to_vec(&[1u8, 2]).unwrap(), b"[1,2]");
/// ```
pub fn to_vec<T: WriteJson + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    // Envelopes of the catalog are 390–720 bytes: one allocation for most, at most one growth.
    let mut out = Vec::with_capacity(768);
    value.write_json(&mut out)?;
    Ok(out)
}

/// A value the fast reader reads: what serde's `Deserialize` impl reads from serde_json for
/// the same input, or [`Bail`] when the reader leaves the input to serde_json (see
/// [`from_slice`]).
pub trait ReadJson: Sized {
    /// Reads one value at the parser's position.
    fn read_json(parser: &mut Parser<'_>) -> Result<Self, Bail>;

    /// The value of a member that is absent, when serde's impl gives one (`None` for
    /// `Option`); `None` when a missing member is an error.
    fn missing() -> Option<Self> {
        None
    }
}

/// Decodes `bytes` as serde_json would, value or error: the fast reader first, serde_json when
/// it bails (an error, or a form the reader does not take on).
///
/// ```
/// let ids: Vec<uuid::Uuid> = event_core::json::from_slice(br#"["0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30"]"#).unwrap();
/// assert_eq!(ids.len(), 1);
/// let error = event_core::json::from_slice::<Vec<u8>>(b"[1,]").unwrap_err();
/// assert_eq!(error.to_string(), serde_json::from_slice::<Vec<u8>>(b"[1,]").unwrap_err().to_string());
/// ```
pub fn from_slice<T: ReadJson + serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, serde_json::Error> {
    match read_fast(bytes) {
        Ok(value) => Ok(value),
        Err(Bail) => serde_json::from_slice(bytes),
    }
}

/// The fast reader alone: the value, or [`Bail`] where [`from_slice`] asks serde_json. What it
/// accepts serde_json accepts, with the same value (the tests check it against serde_json).
///
/// ```
/// use event_core::json::{read_fast, Bail};
/// assert_eq!(read_fast::<Vec<String>>(br#"["a","b"]"#), Ok(vec!["a".into(), "b".into()]));
/// // Input that is not UTF-8, even where serde_json would not look, is left to serde_json.
/// assert_eq!(read_fast::<Vec<String>>(b"[\"a\"] \xff"), Err(Bail));
/// ```
pub fn read_fast<T: ReadJson>(bytes: &[u8]) -> Result<T, Bail> {
    // Input that is not UTF-8 is left to serde_json, which reports where.
    let text = simdutf8::basic::from_utf8(bytes).map_err(|_| Bail)?;
    let mut parser = Parser::from_text(text);
    let value = T::read_json(&mut parser)?;
    parser.finish()?;
    Ok(value)
}
