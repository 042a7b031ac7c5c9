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

mod escape;
mod impls;

pub use escape::write_str;

/// A value that writes itself as JSON, byte for byte what `serde_json::to_vec` writes for it.
pub trait WriteJson {
    /// Appends the value's JSON to `out`. Fails only where serde_json fails (a field written
    /// through a `Serialize` impl that returns an error, a map key that is not a string).
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

/// How the derives write one field: through [`WriteJson`] when the field's type has it, else
/// through its `Serialize` impl (method resolution picks the first; see [`ViaWriteJson`] and
/// [`ViaSerde`]). Not public API.
#[doc(hidden)]
pub struct Field<'a, T: ?Sized>(pub &'a T);

/// The preferred way to write a [`Field`]: its type's [`WriteJson`]. Not public API.
#[doc(hidden)]
pub trait ViaWriteJson {
    /// Appends the field's JSON.
    fn write_field(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;
}

impl<T: WriteJson + ?Sized> ViaWriteJson for Field<'_, T> {
    #[inline]
    fn write_field(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        self.0.write_json(out)
    }
}

/// The fallback way to write a [`Field`]: serde_json with the type's `Serialize` impl. It is
/// implemented for `&Field`, so a call on `&Field` finds [`ViaWriteJson`] first when the type
/// has it. Not public API.
#[doc(hidden)]
pub trait ViaSerde {
    /// Appends the field's JSON.
    fn write_field(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;
}

impl<T: serde::Serialize + ?Sized> ViaSerde for &Field<'_, T> {
    #[inline]
    fn write_field(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        serde_json::to_writer(out, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No `WriteJson`: written through `Serialize`.
    #[derive(serde::Serialize)]
    struct Custom {
        a: u8,
    }

    #[test]
    #[allow(clippy::needless_borrow)] // the borrow is what the derives write
    fn fields_prefer_write_json_and_fall_back_to_serde() {
        let mut out = Vec::new();
        (&Field(&Custom { a: 1 })).write_field(&mut out).unwrap();
        out.push(b' ');
        (&Field(&"x")).write_field(&mut out).unwrap();
        assert_eq!(out, br#"{"a":1} "x""#);
    }
}
