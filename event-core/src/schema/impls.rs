//! [`EventSchema`] for the standard library, `uuid` and `chrono` types.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use serde_json::Number;

use super::{InstanceType, Items, Schema, SchemaGenerator, SchemaObject};
use crate::layout::LayoutClass;
use crate::EventSchema;

fn string_with_format(format: &str) -> Schema {
    SchemaObject {
        types: vec![InstanceType::String],
        format: Some(format.to_owned()),
        ..SchemaObject::default()
    }
    .into()
}

fn array_of(items: Schema) -> SchemaObject {
    SchemaObject {
        types: vec![InstanceType::Array],
        items: Some(Box::new(Items::All(items))),
        ..SchemaObject::default()
    }
}

impl EventSchema for bool {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Bool;
    fn schema(_: &mut SchemaGenerator) -> Schema {
        Schema::of_type(InstanceType::Boolean)
    }
}

macro_rules! integer_schema {
    ($($ty:ty),* $(,)?) => {$(
        impl EventSchema for $ty {
            fn schema(_: &mut SchemaGenerator) -> Schema {
                SchemaObject {
                    types: vec![InstanceType::Integer],
                    minimum: Some(Number::from(<$ty>::MIN)),
                    maximum: Some(Number::from(<$ty>::MAX)),
                    ..SchemaObject::default()
                }
                .into()
            }
        }
    )*};
}
integer_schema!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

impl EventSchema for u128 {
    fn schema(_: &mut SchemaGenerator) -> Schema {
        // A u128 bound does not fit a JSON number without arbitrary precision.
        SchemaObject {
            types: vec![InstanceType::Integer],
            minimum: Some(Number::from(0u8)),
            ..SchemaObject::default()
        }
        .into()
    }
}

impl EventSchema for i128 {
    fn schema(_: &mut SchemaGenerator) -> Schema {
        Schema::of_type(InstanceType::Integer)
    }
}

macro_rules! nonzero_schema {
    ($($ty:ident => $int:ty),* $(,)?) => {$(
        impl EventSchema for core::num::$ty {
            fn schema(generator: &mut SchemaGenerator) -> Schema {
                let mut schema = <$int>::schema(generator);
                let object = schema.object_mut();
                if object.minimum == Some(Number::from(0u8)) {
                    object.minimum = Some(Number::from(1u8));
                } else {
                    object.not = Some(SchemaObject { constant: Some(0.into()), ..SchemaObject::default() }.into());
                }
                schema
            }
        }
    )*};
}
nonzero_schema!(NonZeroU8 => u8, NonZeroU16 => u16, NonZeroU32 => u32, NonZeroU64 => u64,
    NonZeroI8 => i8, NonZeroI16 => i16, NonZeroI32 => i32, NonZeroI64 => i64);

impl EventSchema for f32 {
    fn schema(_: &mut SchemaGenerator) -> Schema {
        Schema::of_type(InstanceType::Number)
    }
}

impl EventSchema for f64 {
    fn schema(_: &mut SchemaGenerator) -> Schema {
        Schema::of_type(InstanceType::Number)
    }
}

impl EventSchema for char {
    fn schema(_: &mut SchemaGenerator) -> Schema {
        SchemaObject {
            types: vec![InstanceType::String],
            min_length: Some(1),
            max_length: Some(1),
            ..SchemaObject::default()
        }
        .into()
    }
}

macro_rules! string_schema {
    ($($ty:ty),* $(,)?) => {$(
        impl EventSchema for $ty {
            const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
            fn schema(_: &mut SchemaGenerator) -> Schema {
                Schema::of_type(InstanceType::String)
            }
        }
    )*};
}
string_schema!(String, str);

impl EventSchema for () {
    fn schema(_: &mut SchemaGenerator) -> Schema {
        Schema::of_type(InstanceType::Null)
    }
}

/// The hyphenated form serde writes a [`uuid::Uuid`] in. `format: uuid` is not a Draft 7
/// format, so Draft 7 validators ignore it; the pattern makes every one of them check it.
pub const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// The schema of a uuid: `format: uuid` plus [`UUID_PATTERN`].
pub fn uuid_schema() -> SchemaObject {
    SchemaObject {
        types: vec![InstanceType::String],
        format: Some("uuid".to_owned()),
        pattern: Some(UUID_PATTERN.to_owned()),
        ..SchemaObject::default()
    }
}

impl EventSchema for uuid::Uuid {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
    fn schema(_: &mut SchemaGenerator) -> Schema {
        uuid_schema().into()
    }
}

impl<Tz: chrono::TimeZone> EventSchema for chrono::DateTime<Tz> {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
    fn schema(_: &mut SchemaGenerator) -> Schema {
        string_with_format("date-time")
    }
}

impl EventSchema for chrono::NaiveDate {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
    fn schema(_: &mut SchemaGenerator) -> Schema {
        string_with_format("date")
    }
}

impl EventSchema for serde_json::Value {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
    fn schema(_: &mut SchemaGenerator) -> Schema {
        Schema::Bool(true)
    }
}

impl<T: EventSchema> EventSchema for Option<T> {
    const LAYOUT_CLASS: LayoutClass = T::LAYOUT_CLASS;
    const OPTIONAL: bool = true;
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<T>().nullable()
    }
    fn flatten_schema(generator: &mut SchemaGenerator) -> Schema {
        // A flattened `Option<T>` contributes T's properties, none of them required.
        let mut schema = generator.inline_schema_for::<T>();
        if let Schema::Object(object) = &mut schema {
            object.required.clear();
        }
        schema
    }
}

macro_rules! forward_schema {
    ($($ty:ident),*) => {$(
        impl<T: EventSchema + ?Sized> EventSchema for $ty<T> {
            const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
            const OPTIONAL: bool = T::OPTIONAL;
            fn schema_name() -> Option<Cow<'static, str>> { T::schema_name() }
            fn schema_id() -> Cow<'static, str> { T::schema_id() }
            fn schema(generator: &mut SchemaGenerator) -> Schema { T::schema(generator) }
            fn flatten_schema(generator: &mut SchemaGenerator) -> Schema { T::flatten_schema(generator) }
        }
    )*};
}
forward_schema!(Box, Rc, Arc);

impl<T: EventSchema + ?Sized> EventSchema for &T {
    const LAYOUT_CLASS: LayoutClass = T::LAYOUT_CLASS;
    const OPTIONAL: bool = T::OPTIONAL;
    fn schema_name() -> Option<Cow<'static, str>> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        T::schema(generator)
    }
}

impl<T: EventSchema + ToOwned + ?Sized> EventSchema for Cow<'_, T> {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
    fn schema_name() -> Option<Cow<'static, str>> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        T::schema(generator)
    }
}

macro_rules! sequence_schema {
    ($($ty:ident),*) => {$(
        impl<T: EventSchema> EventSchema for $ty<T> {
            const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
            fn schema(generator: &mut SchemaGenerator) -> Schema {
                array_of(generator.subschema_for::<T>()).into()
            }
        }
    )*};
}
sequence_schema!(Vec, VecDeque);

impl<T: EventSchema> EventSchema for [T] {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        array_of(generator.subschema_for::<T>()).into()
    }
}

macro_rules! set_schema {
    ($($ty:ident),*) => {$(
        impl<T: EventSchema, S> EventSchema for $ty<T, S> {
            const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
            fn schema(generator: &mut SchemaGenerator) -> Schema {
                SchemaObject { unique_items: true, ..array_of(generator.subschema_for::<T>()) }.into()
            }
        }
    )*};
}
set_schema!(HashSet);

impl<T: EventSchema> EventSchema for BTreeSet<T> {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        SchemaObject {
            unique_items: true,
            ..array_of(generator.subschema_for::<T>())
        }
        .into()
    }
}

impl<T: EventSchema, const N: usize> EventSchema for [T; N] {
    const LAYOUT_CLASS: LayoutClass = T::LAYOUT_CLASS;
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        SchemaObject {
            min_items: Some(N as u64),
            max_items: Some(N as u64),
            ..array_of(generator.subschema_for::<T>())
        }
        .into()
    }
}

/// A type serde can write as a JSON object key, with the schema of the key strings.
pub trait MapKey {
    /// The `propertyNames` schema of the keys, or `None` when any string is a key.
    fn property_names() -> Option<Schema>;
}

impl MapKey for String {
    fn property_names() -> Option<Schema> {
        None
    }
}

impl MapKey for uuid::Uuid {
    fn property_names() -> Option<Schema> {
        Some(uuid_schema().into())
    }
}

macro_rules! integer_key {
    ($($ty:ty => $pattern:literal),* $(,)?) => {$(
        impl MapKey for $ty {
            fn property_names() -> Option<Schema> {
                Some(SchemaObject { pattern: Some($pattern.to_owned()), ..SchemaObject::default() }.into())
            }
        }
    )*};
}
integer_key!(u8 => "^(0|[1-9][0-9]*)$", u16 => "^(0|[1-9][0-9]*)$", u32 => "^(0|[1-9][0-9]*)$",
    u64 => "^(0|[1-9][0-9]*)$", i8 => "^(0|-?[1-9][0-9]*)$", i16 => "^(0|-?[1-9][0-9]*)$",
    i32 => "^(0|-?[1-9][0-9]*)$", i64 => "^(0|-?[1-9][0-9]*)$");

fn map_schema<K: MapKey, V: EventSchema>(generator: &mut SchemaGenerator) -> Schema {
    SchemaObject {
        types: vec![InstanceType::Object],
        additional_properties: Some(generator.subschema_for::<V>()),
        property_names: K::property_names(),
        ..SchemaObject::default()
    }
    .into()
}

impl<K: MapKey, V: EventSchema, S> EventSchema for HashMap<K, V, S> {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        map_schema::<K, V>(generator)
    }
}

impl<K: MapKey, V: EventSchema> EventSchema for BTreeMap<K, V> {
    const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        map_schema::<K, V>(generator)
    }
}

macro_rules! tuple_schema {
    ($(($($name:ident),+) => $len:literal;)*) => {$(
        impl<$($name: EventSchema),+> EventSchema for ($($name,)+) {
            const LAYOUT_CLASS: LayoutClass = LayoutClass::Variable;
            fn schema(generator: &mut SchemaGenerator) -> Schema {
                SchemaObject {
                    types: vec![InstanceType::Array],
                    items: Some(Box::new(Items::Tuple(vec![$(generator.subschema_for::<$name>()),+]))),
                    min_items: Some($len),
                    max_items: Some($len),
                    ..SchemaObject::default()
                }
                .into()
            }
        }
    )*};
}
tuple_schema! {
    (A) => 1;
    (A, B) => 2;
    (A, B, C) => 3;
    (A, B, C, D) => 4;
    (A, B, C, D, E) => 5;
    (A, B, C, D, E, F) => 6;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema_of<T: EventSchema + ?Sized>() -> serde_json::Value {
        SchemaGenerator::default().subschema_for::<T>().to_value()
    }

    #[test]
    fn integer_bounds_come_from_the_type() {
        assert_eq!(
            schema_of::<i8>(),
            json!({"type": "integer", "minimum": -128, "maximum": 127})
        );
        assert_eq!(schema_of::<u64>()["maximum"], json!(u64::MAX));
        assert_eq!(schema_of::<core::num::NonZeroU16>()["minimum"], json!(1));
    }

    #[test]
    fn containers() {
        assert_eq!(
            schema_of::<Option<String>>(),
            json!({"type": ["string", "null"]})
        );
        assert_eq!(
            schema_of::<[u8; 2]>(),
            json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 255}, "minItems": 2, "maxItems": 2})
        );
        assert_eq!(
            schema_of::<BTreeSet<bool>>(),
            json!({"type": "array", "items": {"type": "boolean"}, "uniqueItems": true})
        );
        assert_eq!(
            schema_of::<HashMap<u32, bool>>(),
            json!({"type": "object", "additionalProperties": {"type": "boolean"}, "propertyNames": {"pattern": "^(0|[1-9][0-9]*)$"}})
        );
        assert_eq!(
            schema_of::<(bool, char)>(),
            json!({"type": "array", "items": [{"type": "boolean"}, {"type": "string", "minLength": 1, "maxLength": 1}], "minItems": 2, "maxItems": 2})
        );
    }

    #[test]
    fn formats() {
        assert_eq!(
            schema_of::<uuid::Uuid>(),
            json!({"type": "string", "format": "uuid", "pattern": UUID_PATTERN})
        );
        assert_eq!(
            schema_of::<chrono::DateTime<chrono::Utc>>(),
            json!({"type": "string", "format": "date-time"})
        );
    }
}
