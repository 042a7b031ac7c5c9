//! How the derives write and read one member whatever its type: method resolution on a
//! reference picks the first impl that applies (autoref specialization), so a member is
//! written through [`WriteJson`] when its type has it, else through `Serialize`, else not at
//! all (an error); and read through [`ReadJson`], else through `Deserialize` on its text, else
//! not at all (a bail). Not public API: the derives' generated code names it.
//!
//! A call on `&&Field(..)` (or `&&Read::<T>::new()`) looks for impls in this order: for
//! `&Field`, for `&&Field`, for `Field`.

use core::marker::PhantomData;

use super::parser::{Bail, Parser};
use super::{ReadJson, WriteJson};

/// A member to write.
pub struct Field<'a, T: ?Sized>(pub &'a T);

/// Writes a member through its type's [`WriteJson`]: the first choice.
pub trait ViaWriteJson {
    /// Appends the member's JSON.
    fn write_field(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;
}

impl<T: WriteJson + ?Sized> ViaWriteJson for &Field<'_, T> {
    #[inline]
    fn write_field(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        self.0.write_json(out)
    }
}

/// Writes a member through serde_json and its type's `Serialize`: the second choice.
pub trait ViaSerde {
    /// Appends the member's JSON.
    fn write_field(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;
}

impl<T: serde::Serialize + ?Sized> ViaSerde for &&Field<'_, T> {
    #[inline]
    fn write_field(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        serde_json::to_writer(out, self.0)
    }
}

/// A member whose type can be neither written nor serialized: an error when written (its
/// container derives the schema but is itself not `Serialize`).
pub trait ViaUnwritable {
    /// Fails.
    fn write_field(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;
}

impl<T: ?Sized> ViaUnwritable for Field<'_, T> {
    fn write_field(&self, _: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        Err(serde::ser::Error::custom(format_args!(
            "`{}` implements neither WriteJson nor Serialize",
            core::any::type_name::<T>()
        )))
    }
}

/// The first error of the members a derived writer writes. The writer goes on after a failed
/// member instead of returning at each one (one check per writer, not one `?` per member for
/// the compiler to expand); the caller drops the output of a failed write either way.
#[derive(Debug, Default)]
pub struct FirstError(Option<serde_json::Error>);

impl FirstError {
    /// No error yet.
    pub const fn new() -> Self {
        FirstError(None)
    }

    /// Keeps `written`'s error unless one was kept before.
    #[inline]
    pub fn keep(&mut self, written: Result<(), serde_json::Error>) {
        if let Err(error) = written {
            self.0.get_or_insert(error);
        }
    }

    /// `Ok` when every member was written, else the first error.
    #[inline]
    pub fn into_result(self) -> Result<(), serde_json::Error> {
        match self.0 {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

/// A member to read, of type `T`.
pub struct Read<T>(PhantomData<fn() -> T>);

impl<T> Read<T> {
    /// The reader of a `T`.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Read(PhantomData)
    }
}

/// Reads a member into its slot; a member seen twice bails (serde_json reports it). One
/// function per member type, not code per member: the derived readers stay small.
fn fill<T>(slot: &mut Option<T>, read: impl FnOnce() -> Result<T, Bail>) -> Result<(), Bail> {
    if slot.is_some() {
        return Err(Bail);
    }
    *slot = Some(read()?);
    Ok(())
}

/// A member's value once the object is read: the one read, else serde's value for an absent
/// member, else `None` (the derived reader bails then).
fn take<T>(slot: Option<T>, missing: impl FnOnce() -> Option<T>) -> Option<T> {
    slot.or_else(missing)
}

/// Reads a member through its type's [`ReadJson`]: the first choice.
pub trait ViaReadJson<T> {
    /// Reads the member's value.
    fn read_field(&self, parser: &mut Parser<'_>) -> Result<T, Bail>;
    /// The value of an absent member, if serde gives one.
    fn missing_field(&self) -> Option<T>;
    /// Reads the member into its slot (see [`ViaReadJson::read_field`]).
    fn fill(&self, slot: &mut Option<T>, parser: &mut Parser<'_>) -> Result<(), Bail> {
        fill(slot, || self.read_field(parser))
    }
    /// The member's value once the object is read, or `None` to bail.
    fn take(&self, slot: Option<T>) -> Option<T> {
        take(slot, || self.missing_field())
    }
}

impl<T: ReadJson> ViaReadJson<T> for &Read<T> {
    #[inline]
    fn read_field(&self, parser: &mut Parser<'_>) -> Result<T, Bail> {
        T::read_json(parser)
    }

    #[inline]
    fn missing_field(&self) -> Option<T> {
        T::missing()
    }
}

/// Reads a member's text with serde_json and its type's `Deserialize`: the second choice. An
/// absent member bails (serde_json decides).
pub trait ViaDeserialize<T> {
    /// Reads the member's value.
    fn read_field(&self, parser: &mut Parser<'_>) -> Result<T, Bail>;
    /// The value of an absent member, if any.
    fn missing_field(&self) -> Option<T>;
    /// Reads the member into its slot.
    fn fill(&self, slot: &mut Option<T>, parser: &mut Parser<'_>) -> Result<(), Bail> {
        fill(slot, || self.read_field(parser))
    }
    /// The member's value once the object is read, or `None` to bail.
    fn take(&self, slot: Option<T>) -> Option<T> {
        take(slot, || self.missing_field())
    }
}

impl<T: serde::de::DeserializeOwned> ViaDeserialize<T> for &&Read<T> {
    fn read_field(&self, parser: &mut Parser<'_>) -> Result<T, Bail> {
        serde_json::from_slice(parser.skip_value()?).map_err(|_| Bail)
    }

    fn missing_field(&self) -> Option<T> {
        None
    }
}

/// A member whose type can be neither read nor deserialized: always bails.
pub trait ViaBail<T> {
    /// Bails.
    fn read_field(&self, parser: &mut Parser<'_>) -> Result<T, Bail>;
    /// `None`.
    fn missing_field(&self) -> Option<T>;
    /// Bails.
    fn fill(&self, _: &mut Option<T>, _: &mut Parser<'_>) -> Result<(), Bail> {
        Err(Bail)
    }
    /// Bails unless read (it never is).
    fn take(&self, slot: Option<T>) -> Option<T> {
        slot
    }
}

impl<T> ViaBail<T> for Read<T> {
    fn read_field(&self, _: &mut Parser<'_>) -> Result<T, Bail> {
        Err(Bail)
    }

    fn missing_field(&self) -> Option<T> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No `WriteJson`: written through `Serialize`.
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Custom {
        a: u8,
    }

    /// Neither.
    struct Opaque;

    #[test]
    #[allow(clippy::needless_borrow)] // the borrows are what the derives write
    fn members_prefer_our_traits_then_serde_then_fail() {
        let mut out = Vec::new();
        (&&Field(&Custom { a: 1 })).write_field(&mut out).unwrap();
        out.push(b' ');
        (&&Field(&"x")).write_field(&mut out).unwrap();
        assert_eq!(out, br#"{"a":1} "x""#);
        let error = (&&Field(&Opaque)).write_field(&mut out).unwrap_err();
        assert!(error
            .to_string()
            .contains("neither WriteJson nor Serialize"));

        let mut parser = Parser::new(br#"{"a": 2} 7"#);
        let custom = (&&Read::<Custom>::new()).read_field(&mut parser);
        assert_eq!(custom, Ok(Custom { a: 2 }));
        assert_eq!((&&Read::<u8>::new()).read_field(&mut parser), Ok(7));
        assert_eq!((&&Read::<Option<u8>>::new()).missing_field(), Some(None));
        assert_eq!((&&Read::<Custom>::new()).missing_field(), None);
        assert!((&&Read::<Opaque>::new()).read_field(&mut parser).is_err());
    }

    #[test]
    #[allow(clippy::needless_borrow)] // the borrows are what the derives write
    fn a_writer_keeps_the_first_members_error() {
        let mut out = Vec::new();
        let mut failed = FirstError::new();
        failed.keep((&&Field(&1u8)).write_field(&mut out));
        assert!(failed.0.is_none());
        failed.keep((&&Field(&Opaque)).write_field(&mut out));
        failed.keep(Err(serde::ser::Error::custom("second")));
        failed.keep((&&Field(&2u8)).write_field(&mut out));
        assert_eq!(out, b"12");
        let error = failed.into_result().unwrap_err();
        assert!(error
            .to_string()
            .contains("neither WriteJson nor Serialize"));
        assert!(FirstError::new().into_result().is_ok());
    }

    #[test]
    #[allow(clippy::needless_borrow)] // the borrows are what the derives write
    fn taking_a_member_gives_the_read_value_else_the_absent_value_else_none() {
        assert_eq!((&&Read::<u8>::new()).take(Some(3)), Some(3));
        assert_eq!((&&Read::<Option<u8>>::new()).take(None), Some(None));
        assert_eq!((&&Read::<u8>::new()).take(None), None);
        assert_eq!((&&Read::<Custom>::new()).take(None), None);
        assert_eq!((&&Read::<Opaque>::new()).take(None).map(|_| ()), None);
    }
}
