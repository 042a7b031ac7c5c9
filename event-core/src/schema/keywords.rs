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
    /// `pii`: the field is personal data, tagged `"confluent:tags": ["PII"]`.
    pub pii: bool,
}

impl Constraints {
    /// `schema` with these keywords added, as [`apply`](Self::apply) adds them (the form the
    /// derive writes: one expression per field).
    ///
    /// ```
    /// use event_core::schema::{Constraints, InstanceType, Schema};
    /// let schema = Constraints { max_items: Some(16), ..Constraints::default() }
    ///     .applied(Schema::of_type(InstanceType::Array));
    /// assert_eq!(schema.to_value(), serde_json::json!({"type": "array", "maxItems": 16}));
    /// ```
    pub fn applied(self, mut schema: Schema) -> Schema {
        self.apply(&mut schema);
        schema
    }

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
        let pii = self.pii;
        if self.has_value_keywords() {
            self.apply_value_keywords(value_branch(schema));
        }
        let (default, example, deprecated) = annotations;
        if default.is_none() && example.is_none() && !deprecated && !pii {
            return;
        }
        let object = extensible(schema);
        if default.is_some() {
            object.default = default;
        }
        object.examples.extend(example);
        object.deprecated |= deprecated;
        if pii {
            let tags = Value::Array(vec![Value::from(crate::personal::PII_TAG)]);
            object
                .extensions
                .push((crate::personal::TAGS_KEYWORD.to_owned(), tags));
        }
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
            pii: _,
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

/// A number as the validator compares it: integers stay exact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberValue {
    /// Any Rust integer.
    Int(i128),
    /// `f32` or `f64`.
    Float(f64),
}

/// Types whose JSON form is a string: `min_length`, `max_length`, `pattern` and `format`
/// apply to them, and the validator reads the string through this trait.
#[diagnostic::on_unimplemented(
    message = "this keyword applies to strings, but `{Self}` is not written as a JSON string",
    label = "keyword used on a field of type `{Self}`",
    note = "`min_length`, `max_length`, `pattern` and `format` apply to String, &str, Cow<str> and Option of those"
)]
pub trait StringKeywords {
    /// The string, or `None` where there is nothing to check (an `Option` that is `None`).
    fn string_value(&self) -> Option<&str>;
}

/// Types whose JSON form is a number: `minimum`, `maximum`, `exclusive_minimum`,
/// `exclusive_maximum` and `multiple_of` apply to them.
#[diagnostic::on_unimplemented(
    message = "this keyword applies to numbers, but `{Self}` is not written as a JSON number",
    label = "keyword used on a field of type `{Self}`",
    note = "`minimum`, `maximum`, `exclusive_minimum`, `exclusive_maximum` and `multiple_of` apply to integers, floats and Option of those"
)]
pub trait NumberKeywords {
    /// The number, or `None` where there is nothing to check.
    fn number_value(&self) -> Option<NumberValue>;
}

/// Types whose JSON form is an array: `min_items`, `max_items` and `unique_items` apply to them.
#[diagnostic::on_unimplemented(
    message = "this keyword applies to arrays, but `{Self}` is not written as a JSON array",
    label = "keyword used on a field of type `{Self}`",
    note = "`min_items`, `max_items` and `unique_items` apply to Vec, VecDeque, arrays, slices, sets and Option of those"
)]
pub trait ArrayKeywords {
    /// The number of items, or `None` where there is nothing to check.
    fn item_count(&self) -> Option<usize>;
}

/// Arrays whose items can be compared, for `unique_items`.
#[diagnostic::on_unimplemented(
    message = "`unique_items` needs items that can be compared, but `{Self}` is not such an array",
    label = "`unique_items` used on a field of type `{Self}`"
)]
pub trait UniqueItems {
    /// Whether two items are equal: by `==` for arrays of up to 32 items, by canonical JSON
    /// (JSON Schema's equality) in a hash set for longer ones, so the check costs linear time.
    fn has_duplicates(&self) -> bool;
}

impl StringKeywords for String {
    fn string_value(&self) -> Option<&str> {
        Some(self)
    }
}
impl StringKeywords for str {
    fn string_value(&self) -> Option<&str> {
        Some(self)
    }
}
impl StringKeywords for std::borrow::Cow<'_, str> {
    fn string_value(&self) -> Option<&str> {
        Some(self)
    }
}

macro_rules! numbers {
    ($variant:ident: $($ty:ty),* $(,)?) => {$(
        impl NumberKeywords for $ty {
            fn number_value(&self) -> Option<NumberValue> {
                Some(NumberValue::$variant((*self).into()))
            }
        }
    )*};
}
numbers!(Int: u8, u16, u32, u64, i8, i16, i32, i64, i128);
numbers!(Float: f32, f64);
impl NumberKeywords for usize {
    fn number_value(&self) -> Option<NumberValue> {
        Some(NumberValue::Int(*self as i128))
    }
}
impl NumberKeywords for isize {
    fn number_value(&self) -> Option<NumberValue> {
        Some(NumberValue::Int(*self as i128))
    }
}
impl NumberKeywords for u128 {
    fn number_value(&self) -> Option<NumberValue> {
        Some(
            i128::try_from(*self)
                .map(NumberValue::Int)
                .unwrap_or(NumberValue::Float(*self as f64)),
        )
    }
}

macro_rules! sequences {
    ($($ty:ty => [$($generics:tt)*]),* $(,)?) => {$(
        impl<$($generics)*> ArrayKeywords for $ty {
            fn item_count(&self) -> Option<usize> {
                Some(self.len())
            }
        }
    )*};
}
sequences!(
    Vec<T> => [T],
    std::collections::VecDeque<T> => [T],
    [T] => [T],
    [T; N] => [T, const N: usize],
    std::collections::HashSet<T, S> => [T, S],
    std::collections::BTreeSet<T> => [T],
);
impl<T: PartialEq + serde::Serialize> UniqueItems for Vec<T> {
    fn has_duplicates(&self) -> bool {
        super::unique::has_duplicates(self.iter())
    }
}
impl<T: PartialEq + serde::Serialize> UniqueItems for std::collections::VecDeque<T> {
    fn has_duplicates(&self) -> bool {
        super::unique::has_duplicates(self.iter())
    }
}
impl<T: PartialEq + serde::Serialize> UniqueItems for [T] {
    fn has_duplicates(&self) -> bool {
        super::unique::has_duplicates(self.iter())
    }
}
impl<T: PartialEq + serde::Serialize, const N: usize> UniqueItems for [T; N] {
    fn has_duplicates(&self) -> bool {
        super::unique::has_duplicates(self.iter())
    }
}
impl<T, S> UniqueItems for std::collections::HashSet<T, S> {
    fn has_duplicates(&self) -> bool {
        false
    }
}
impl<T> UniqueItems for std::collections::BTreeSet<T> {
    fn has_duplicates(&self) -> bool {
        false
    }
}

macro_rules! forward {
    ($($wrapper:ident),*) => {$(
        impl<T: StringKeywords + ?Sized> StringKeywords for $wrapper<T> {
            fn string_value(&self) -> Option<&str> { (**self).string_value() }
        }
        impl<T: NumberKeywords + ?Sized> NumberKeywords for $wrapper<T> {
            fn number_value(&self) -> Option<NumberValue> { (**self).number_value() }
        }
        impl<T: ArrayKeywords + ?Sized> ArrayKeywords for $wrapper<T> {
            fn item_count(&self) -> Option<usize> { (**self).item_count() }
        }
        impl<T: UniqueItems + ?Sized> UniqueItems for $wrapper<T> {
            fn has_duplicates(&self) -> bool { (**self).has_duplicates() }
        }
    )*};
}
use std::rc::Rc;
use std::sync::Arc;
forward!(Box, Rc, Arc);
impl<T: StringKeywords + ?Sized> StringKeywords for &T {
    fn string_value(&self) -> Option<&str> {
        (**self).string_value()
    }
}
impl<T: StringKeywords> StringKeywords for Option<T> {
    fn string_value(&self) -> Option<&str> {
        self.as_ref().and_then(StringKeywords::string_value)
    }
}
impl<T: NumberKeywords> NumberKeywords for Option<T> {
    fn number_value(&self) -> Option<NumberValue> {
        self.as_ref().and_then(NumberKeywords::number_value)
    }
}
impl<T: ArrayKeywords> ArrayKeywords for Option<T> {
    fn item_count(&self) -> Option<usize> {
        self.as_ref().and_then(ArrayKeywords::item_count)
    }
}
impl<T: UniqueItems> UniqueItems for Option<T> {
    fn has_duplicates(&self) -> bool {
        self.as_ref().is_some_and(UniqueItems::has_duplicates)
    }
}
