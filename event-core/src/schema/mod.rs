//! The JSON Schema model, the generator of documents and the building blocks of the derive.

mod compose;
mod generator;
mod impls;
mod keywords;
mod model;
mod unique;

pub use compose::{
    describe, document, enumeration, tuple, RecordSchema, Representation, Variant,
    LAYOUT_ORDER_KEYWORD,
};
pub use generator::{type_label, SchemaGenerator};
pub use impls::{uuid_schema, MapKey, UUID_PATTERN};
pub use keywords::{
    ArrayKeywords, Constraints, NumberKeywords, NumberValue, StringKeywords, UniqueItems,
};
pub use model::{InstanceType, Items, Schema, SchemaObject};

/// The `$schema` of every document kafka-events writes.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";
