//! Field constraints written as `#[event(..)]` attributes, and the marker traits that let the
//! compiler reject a keyword on a type it cannot apply to.

use serde_json::{Number, Value};

use super::{Schema, SchemaObject};

/// The JSON Schema keywords a field attribute can add to the field's schema.
///
/// The derive fills it from `#[event(minimum = 2, max_length = 64, ..)]`; every field left
/// `None`/`false` adds nothing.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)] // each field is the keyword of the same name
pub struct Constraints {
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    pub multiple_of: Option<Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<&'static str>,
    pub format: Option<&'static str>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub default: Option<Value>,
    pub deprecated: bool,
    pub example: Option<Value>,
}

impl Constraints {
    /// Adds these keywords to `schema`, the schema of a field.
    ///
    /// Value keywords go to the non-null branch of a nullable schema (an `Option` field), so a
    /// `null` stays valid; a bare `$ref` is wrapped in `allOf` first, since Draft 7 ignores the
    /// siblings of `$ref`. Annotations (`default`, `examples`, `deprecated`) go on the field.
    ///
    /// ```
    /// use event_core::schema::{Constraints, InstanceType, Schema};
    /// let mut schema = Schema::of_type(InstanceType::String).nullable();
    /// Constraints { max_length: Some(8), ..Constraints::default() }.apply(&mut schema);
    /// assert_eq!(schema.to_value(), serde_json::json!({"type": ["string", "null"], "maxLength": 8}));
    /// ```
    pub fn apply(self, schema: &mut Schema) {
        let annotations = (self.default.clone(), self.example.clone(), self.deprecated);
        if self.has_value_keywords() {
            self.apply_value_keywords(value_branch(schema));
        }
        let (default, example, deprecated) = annotations;
        if default.is_none() && example.is_none() && !deprecated {
            return;
        }
        let object = extensible(schema);
        if default.is_some() {
            object.default = default;
        }
        object.examples.extend(example);
        object.deprecated |= deprecated;
    }

    fn has_value_keywords(&self) -> bool {
        let Constraints {
            minimum,
            maximum,
            exclusive_minimum,
            exclusive_maximum,
            multiple_of,
            min_length,
            max_length,
            pattern,
            format,
            min_items,
            max_items,
            unique_items,
            default: _,
            deprecated: _,
            example: _,
        } = self;
        minimum.is_some()
            || maximum.is_some()
            || exclusive_minimum.is_some()
            || exclusive_maximum.is_some()
            || multiple_of.is_some()
            || min_length.is_some()
            || max_length.is_some()
            || pattern.is_some()
            || format.is_some()
            || min_items.is_some()
            || max_items.is_some()
            || *unique_items
    }

    fn apply_value_keywords(self, schema: &mut Schema) {
        let object = extensible(schema);
        // A declared bound replaces the type's own bound only where it is tighter.
        if let Some(minimum) = self.minimum {
            object.minimum = Some(tighter(object.minimum.take(), minimum, true));
        }
        if let Some(maximum) = self.maximum {
            object.maximum = Some(tighter(object.maximum.take(), maximum, false));
        }
        object.exclusive_minimum = self.exclusive_minimum.or(object.exclusive_minimum.take());
        object.exclusive_maximum = self.exclusive_maximum.or(object.exclusive_maximum.take());
        object.multiple_of = self.multiple_of.or(object.multiple_of.take());
        object.min_length = self.min_length.or(object.min_length);
        object.max_length = self.max_length.or(object.max_length);
        object.pattern = self.pattern.map(str::to_owned).or(object.pattern.take());
        object.format = self.format.map(str::to_owned).or(object.format.take());
        object.min_items = self.min_items.or(object.min_items);
        object.max_items = self.max_items.or(object.max_items);
        object.unique_items |= self.unique_items;
    }
}

/// The larger of two lower bounds (`lower`) or the smaller of two upper bounds.
fn tighter(current: Option<Number>, declared: Number, lower: bool) -> Number {
    let Some(current) = current else {
        return declared;
    };
    let as_f64 = |n: &Number| n.as_f64().unwrap_or(0.0);
    let keep_declared = if lower {
        as_f64(&declared) >= as_f64(&current)
    } else {
        as_f64(&declared) <= as_f64(&current)
    };
    if keep_declared {
        declared
    } else {
        current
    }
}

/// The branch of a nullable schema (`anyOf: [X, null]`) that holds the value, or the schema.
fn value_branch(schema: &mut Schema) -> &mut Schema {
    let is_nullable_any_of = schema.as_object().is_some_and(|object| {
        object.any_of.len() == 2 && object.any_of[1] == Schema::of_type(super::InstanceType::Null)
    });
    if is_nullable_any_of {
        &mut schema.object_mut().any_of[0]
    } else {
        schema
    }
}

/// The object of `schema`, after wrapping a bare `$ref` so that new keywords are not ignored.
fn extensible(schema: &mut Schema) -> &mut SchemaObject {
    if schema.is_bare_reference() {
        *schema = std::mem::take(schema).into_extensible();
    }
    schema.object_mut()
}

/// Types whose JSON form is a string: `min_length`, `max_length`, `pattern` and `format`
/// apply to them.
#[diagnostic::on_unimplemented(
    message = "this keyword applies to strings, but `{Self}` is not written as a JSON string",
    label = "keyword used on a field of type `{Self}`",
    note = "`min_length`, `max_length`, `pattern` and `format` apply to String, &str, Cow<str>, char and Option of those"
)]
pub trait StringKeywords {}

/// Types whose JSON form is a number: `minimum`, `maximum`, `exclusive_minimum`,
/// `exclusive_maximum` and `multiple_of` apply to them.
#[diagnostic::on_unimplemented(
    message = "this keyword applies to numbers, but `{Self}` is not written as a JSON number",
    label = "keyword used on a field of type `{Self}`",
    note = "`minimum`, `maximum`, `exclusive_minimum`, `exclusive_maximum` and `multiple_of` apply to integers, floats and Option of those"
)]
pub trait NumberKeywords {}

/// Types whose JSON form is an array: `min_items`, `max_items` and `unique_items` apply to them.
#[diagnostic::on_unimplemented(
    message = "this keyword applies to arrays, but `{Self}` is not written as a JSON array",
    label = "keyword used on a field of type `{Self}`",
    note = "`min_items`, `max_items` and `unique_items` apply to Vec, VecDeque, arrays, slices, sets and Option of those"
)]
pub trait ArrayKeywords {}

macro_rules! mark {
    ($marker:ident: $($ty:ty),* $(,)?) => {$( impl $marker for $ty {} )*};
}
mark!(StringKeywords: String, str, char, std::borrow::Cow<'_, str>);
mark!(NumberKeywords: u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64);
impl<T> ArrayKeywords for Vec<T> {}
impl<T> ArrayKeywords for std::collections::VecDeque<T> {}
impl<T> ArrayKeywords for [T] {}
impl<T, const N: usize> ArrayKeywords for [T; N] {}
impl<T, S> ArrayKeywords for std::collections::HashSet<T, S> {}
impl<T> ArrayKeywords for std::collections::BTreeSet<T> {}

macro_rules! forward_marks {
    ($($wrapper:ident),*) => {$(
        impl<T: StringKeywords + ?Sized> StringKeywords for $wrapper<T> {}
        impl<T: NumberKeywords + ?Sized> NumberKeywords for $wrapper<T> {}
        impl<T: ArrayKeywords + ?Sized> ArrayKeywords for $wrapper<T> {}
    )*};
}
use std::rc::Rc;
use std::sync::Arc;
forward_marks!(Box, Rc, Arc);
impl<T: StringKeywords> StringKeywords for Option<T> {}
impl<T: NumberKeywords> NumberKeywords for Option<T> {}
impl<T: ArrayKeywords> ArrayKeywords for Option<T> {}
impl<T: StringKeywords + ?Sized> StringKeywords for &T {}

/// Compile-time check emitted by the derive: `T` accepts string keywords.
#[doc(hidden)]
pub const fn assert_string_keywords<T: StringKeywords + ?Sized>() {}
/// Compile-time check emitted by the derive: `T` accepts number keywords.
#[doc(hidden)]
pub const fn assert_number_keywords<T: NumberKeywords + ?Sized>() {}
/// Compile-time check emitted by the derive: `T` accepts array keywords.
#[doc(hidden)]
pub const fn assert_array_keywords<T: ArrayKeywords + ?Sized>() {}
