//! [`Validate`] for the standard types: containers validate their items; scalars have nothing
//! to check beyond their Rust type, except floats, which must be finite.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use super::{check_finite, Location, Validate, Violation};

macro_rules! nothing_to_check {
    ($($ty:ty),* $(,)?) => {$( impl Validate for $ty {} )*};
}
nothing_to_check!(
    bool,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    char,
    String,
    str,
    (),
    uuid::Uuid,
    chrono::NaiveDate,
    serde_json::Value,
    core::num::NonZeroU8,
    core::num::NonZeroU16,
    core::num::NonZeroU32,
    core::num::NonZeroU64,
    core::num::NonZeroI8,
    core::num::NonZeroI16,
    core::num::NonZeroI32,
    core::num::NonZeroI64,
);

impl<Tz: chrono::TimeZone> Validate for chrono::DateTime<Tz> {}

impl Validate for f64 {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        check_finite(*self, at, errors);
    }
}

impl Validate for f32 {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        check_finite(f64::from(*self), at, errors);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate_at(at, errors);
        }
    }
}

macro_rules! forward {
    ($($wrapper:ident),*) => {$(
        impl<T: Validate + ?Sized> Validate for $wrapper<T> {
            fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
                (**self).validate_at(at, errors);
            }
        }
    )*};
}
forward!(Box, Rc, Arc);

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        (**self).validate_at(at, errors);
    }
}

impl<T: Validate + ToOwned + ?Sized> Validate for Cow<'_, T> {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        self.as_ref().validate_at(at, errors);
    }
}

fn items<'a, T: Validate + 'a>(
    items: impl Iterator<Item = &'a T>,
    at: &Location<'_>,
    errors: &mut Vec<Violation>,
) {
    for (index, item) in items.enumerate() {
        item.validate_at(&at.index(index), errors);
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        items(self.iter(), at, errors);
    }
}

impl<T: Validate, const N: usize> Validate for [T; N] {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        items(self.iter(), at, errors);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        items(self.iter(), at, errors);
    }
}

impl<T: Validate> Validate for VecDeque<T> {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        items(self.iter(), at, errors);
    }
}

impl<T: Validate, S> Validate for HashSet<T, S> {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        items(self.iter(), at, errors);
    }
}

impl<T: Validate> Validate for BTreeSet<T> {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        items(self.iter(), at, errors);
    }
}

impl<K: fmt::Display, V: Validate, S> Validate for HashMap<K, V, S> {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        for (key, value) in self {
            value.validate_at(&at.shown_key(key), errors);
        }
    }
}

impl<K: fmt::Display, V: Validate> Validate for BTreeMap<K, V> {
    fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
        for (key, value) in self {
            value.validate_at(&at.shown_key(key), errors);
        }
    }
}

macro_rules! tuples {
    ($(($($name:ident $index:tt),+);)*) => {$(
        impl<$($name: Validate),+> Validate for ($($name,)+) {
            fn validate_at(&self, at: &Location<'_>, errors: &mut Vec<Violation>) {
                $( self.$index.validate_at(&at.index($index), errors); )+
            }
        }
    )*};
}
tuples! {
    (A 0);
    (A 0, B 1);
    (A 0, B 1, C 2);
    (A 0, B 1, C 2, D 3);
    (A 0, B 1, C 2, D 3, E 4);
    (A 0, B 1, C 2, D 3, E 4, F 5);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_value_is_reported_at_its_key_as_displayed() {
        let map = BTreeMap::from([("a/b".to_owned(), f64::NAN), ("ok".to_owned(), 1.0)]);
        let errors = map.validate().unwrap_err().0;
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/a~1b");
        let by_id = HashMap::<_, _>::from([(uuid::Uuid::nil(), f32::INFINITY)]);
        let errors = by_id.validate().unwrap_err().0;
        assert_eq!(errors[0].pointer, format!("/{}", uuid::Uuid::nil()));
    }
}
