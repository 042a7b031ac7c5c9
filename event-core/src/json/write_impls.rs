//! [`WriteJson`] for the standard types, ids and UTC timestamps: what serde_json writes for
//! them, without going through serde's traits or `fmt`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::escape::write_str;
use super::uuid_text::quoted_hyphenated;
use super::WriteJson;

type Written = Result<(), serde_json::Error>;

impl WriteJson for bool {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
        Ok(())
    }
}

impl WriteJson for () {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        out.extend_from_slice(b"null");
        Ok(())
    }
}

macro_rules! integers {
    ($($ty:ty),*) => {$(
        impl WriteJson for $ty {
            #[inline]
            fn write_json(&self, out: &mut Vec<u8>) -> Written {
                out.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
                Ok(())
            }
        }
    )*};
}
integers!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

macro_rules! floats {
    ($($ty:ty),*) => {$(
        /// Finite values in their shortest form (zmij), as serde_json; NaN and infinities as `null`.
        impl WriteJson for $ty {
            #[inline]
            fn write_json(&self, out: &mut Vec<u8>) -> Written {
                if self.is_finite() {
                    out.extend_from_slice(zmij::Buffer::new().format_finite(*self).as_bytes());
                } else {
                    out.extend_from_slice(b"null");
                }
                Ok(())
            }
        }
    )*};
}
floats!(f32, f64);

impl WriteJson for str {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        write_str(out, self);
        Ok(())
    }
}

impl WriteJson for String {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        write_str(out, self);
        Ok(())
    }
}

impl WriteJson for char {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        write_str(out, self.encode_utf8(&mut [0; 4]));
        Ok(())
    }
}

impl WriteJson for uuid::Uuid {
    /// The hyphenated lowercase form, as uuid's `Serialize` writes it to JSON.
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        out.extend_from_slice(&quoted_hyphenated(self));
        Ok(())
    }
}

/// Two decimal digits of `n` (below 100).
#[inline]
fn two_digits(n: u32) -> [u8; 2] {
    [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]
}

impl WriteJson for DateTime<Utc> {
    /// RFC 3339 as chrono's `Serialize` writes it: `Z`, and the fraction in the fewest of 0, 3,
    /// 6 or 9 digits that hold it exactly (`SecondsFormat::AutoSi`). Years outside 0–9999 go
    /// through chrono.
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        // The UTC fields read once: each accessor of a `DateTime` recomputes its local time.
        let utc = self.naive_utc();
        let year = utc.year();
        if !(0..=9999).contains(&year) {
            return serde_json::to_writer(out, self);
        }
        let year = year as u32;
        let (mut second, mut nano) = (utc.second(), utc.nanosecond());
        if nano >= 1_000_000_000 {
            // A leap second: chrono writes it as second 60.
            second += 1;
            nano -= 1_000_000_000;
        }
        let [y1, y2] = two_digits(year / 100);
        let [y3, y4] = two_digits(year % 100);
        let [mo1, mo2] = two_digits(utc.month());
        let [d1, d2] = two_digits(utc.day());
        let [h1, h2] = two_digits(utc.hour());
        let [mi1, mi2] = two_digits(utc.minute());
        let [s1, s2] = two_digits(second);
        out.extend_from_slice(&[
            b'"', y1, y2, y3, y4, b'-', mo1, mo2, b'-', d1, d2, b'T', h1, h2, b':', mi1, mi2, b':',
            s1, s2,
        ]);
        let (fraction, digits) = if nano == 0 {
            (0, 0)
        } else if nano % 1_000_000 == 0 {
            (nano / 1_000_000, 3)
        } else if nano % 1_000 == 0 {
            (nano / 1_000, 6)
        } else {
            (nano, 9)
        };
        if digits > 0 {
            let mut text = [b'.', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'0'];
            let mut rest = fraction;
            for place in (1..=digits).rev() {
                text[place] = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
            out.extend_from_slice(&text[..=digits]);
        }
        out.extend_from_slice(b"Z\"");
        Ok(())
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        (**self).write_json(out)
    }
}

macro_rules! pointers {
    ($($ty:ident),*) => {$(
        impl<T: WriteJson + ?Sized> WriteJson for $ty<T> {
            #[inline]
            fn write_json(&self, out: &mut Vec<u8>) -> Written {
                (**self).write_json(out)
            }
        }
    )*};
}
pointers!(Box, Rc, Arc);

impl<T: WriteJson + ToOwned + ?Sized> WriteJson for Cow<'_, T> {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        (**self).write_json(out)
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        match self {
            Some(value) => value.write_json(out),
            None => {
                out.extend_from_slice(b"null");
                Ok(())
            }
        }
    }
}

/// `[a,b,…]` of `items`.
fn write_sequence<'a, T: WriteJson + 'a>(
    out: &mut Vec<u8>,
    items: impl IntoIterator<Item = &'a T>,
) -> Written {
    out.push(b'[');
    let mut first = true;
    for item in items {
        if !first {
            out.push(b',');
        }
        first = false;
        item.write_json(out)?;
    }
    out.push(b']');
    Ok(())
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        write_sequence(out, self)
    }
}

impl<T: WriteJson, const N: usize> WriteJson for [T; N] {
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        write_sequence(out, self)
    }
}

macro_rules! sequences {
    ($($ty:ident),*) => {$(
        impl<T: WriteJson> WriteJson for $ty<T> {
            fn write_json(&self, out: &mut Vec<u8>) -> Written {
                write_sequence(out, self)
            }
        }
    )*};
}
sequences!(Vec, VecDeque, BTreeSet);

impl<T: WriteJson, S> WriteJson for HashSet<T, S> {
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        write_sequence(out, self)
    }
}

/// A map key: serde_json writes keys as strings, numbers in quotes.
pub trait JsonKey {
    /// Appends the key, quotes included.
    fn write_key(&self, out: &mut Vec<u8>);
}

impl JsonKey for String {
    fn write_key(&self, out: &mut Vec<u8>) {
        write_str(out, self);
    }
}

impl JsonKey for uuid::Uuid {
    fn write_key(&self, out: &mut Vec<u8>) {
        // Infallible: an id is always written.
        let _ = self.write_json(out);
    }
}

macro_rules! integer_keys {
    ($($ty:ty),*) => {$(
        impl JsonKey for $ty {
            fn write_key(&self, out: &mut Vec<u8>) {
                out.push(b'"');
                out.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
                out.push(b'"');
            }
        }
    )*};
}
integer_keys!(u8, u16, u32, u64, i8, i16, i32, i64);

/// `{"k":v,…}` of `entries`.
fn write_map<'a, K: JsonKey + 'a, V: WriteJson + 'a>(
    out: &mut Vec<u8>,
    entries: impl IntoIterator<Item = (&'a K, &'a V)>,
) -> Written {
    out.push(b'{');
    let mut first = true;
    for (key, value) in entries {
        if !first {
            out.push(b',');
        }
        first = false;
        key.write_key(out);
        out.push(b':');
        value.write_json(out)?;
    }
    out.push(b'}');
    Ok(())
}

impl<K: JsonKey, V: WriteJson> WriteJson for BTreeMap<K, V> {
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        write_map(out, self)
    }
}

impl<K: JsonKey, V: WriteJson, S> WriteJson for HashMap<K, V, S> {
    fn write_json(&self, out: &mut Vec<u8>) -> Written {
        write_map(out, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn same_as_serde<T: WriteJson + serde::Serialize + ?Sized>(value: &T) {
        let mut out = Vec::new();
        value.write_json(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(value).unwrap()
        );
    }

    #[test]
    fn numbers_and_literals() {
        same_as_serde(&[u64::MAX, 0, 17]);
        same_as_serde(&[i64::MIN, -1]);
        same_as_serde(&u128::MAX);
        same_as_serde(&[
            0.1f32,
            -0.0,
            1e30,
            f32::MIN_POSITIVE,
            f32::NAN,
            f32::INFINITY,
        ]);
        same_as_serde(&[0.1f64, 1e-300, 123456789.125, f64::NEG_INFINITY]);
        same_as_serde(&[true, false]);
        same_as_serde(&());
        same_as_serde(&'"');
    }

    #[test]
    fn timestamps_in_every_fraction_width() {
        let base = Utc.with_ymd_and_hms(2026, 3, 7, 9, 5, 1).unwrap();
        for nanos in [
            0,
            5_000_000,
            120_000,
            7,
            999_999_999,
            1_000_000_000,
            1_500_000_000,
        ] {
            let time = base.with_nanosecond(nanos).unwrap();
            same_as_serde(&time);
        }
        same_as_serde(&Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap());
        same_as_serde(&Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap());
        same_as_serde(&Utc.with_ymd_and_hms(-44, 3, 15, 12, 0, 0).unwrap());
        same_as_serde(&Utc.with_ymd_and_hms(12345, 1, 1, 0, 0, 0).unwrap());
    }

    #[test]
    fn containers_and_maps() {
        let id = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        same_as_serde(&vec![Some(id), None]);
        same_as_serde(&Cow::Borrowed("x"));
        same_as_serde(&Box::new(BTreeSet::from([3u8, 1])));
        same_as_serde(&BTreeMap::from([
            ("b\"".to_owned(), 1u32),
            ("a".to_owned(), 2),
        ]));
        same_as_serde(&BTreeMap::from([(id, vec![1i8])]));
        same_as_serde(&BTreeMap::from([(-3i32, "x"), (4, "y")]));
        same_as_serde(&HashMap::from([(7u16, 1.5f64)]));
        same_as_serde(&Vec::<String>::new());
        same_as_serde(&[[1u8; 2]; 2]);
    }
}
