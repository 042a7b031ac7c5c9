//! # event-keywords
//!
//! The JSON Schema keywords a field takes in `#[event(..)]`, declared once. Each row names the
//! attribute, its JSON Schema spelling, the kind of value it takes, the values it applies to and
//! what checks it at run time:
//!
//! - the derive (`event-macros`) expands [`with_field_keywords!`] into its parser (the accepted
//!   keys, their values, the error listing them), the schema it writes and the validator it
//!   generates (which trait a value must implement for the keyword, which check runs);
//! - the runtime (`event-core`) has one `check_{attribute}` function per checked keyword;
//! - the tools (`event-tools`) write the [`FIELD_KEYWORDS`] constraints of a schema into Go and
//!   TypeScript doc comments, and the compatibility checker reads the string keywords from it.
//!
//! Adding a keyword is a row here, its field in the schema model's `Constraints` (how it is
//! written) and, for a checked keyword, its `check_{attribute}` function.
//!
//! ```
//! use event_keywords::{field_keyword, Applies, ValueKind};
//! let max_length = field_keyword("max_length").unwrap();
//! assert_eq!(max_length.json, "maxLength");
//! assert_eq!((max_length.value, max_length.applies), (ValueKind::Count, Applies::Strings));
//! assert!(field_keyword("maxLength").is_none());
//! ```
#![no_std]
#![warn(missing_docs)]

/// The value a keyword takes in the attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A number literal (`minimum = -10.5`).
    Number,
    /// A non-negative integer literal (`max_length = 64`).
    Count,
    /// A string literal (`pattern = "^[a-z]+$"`).
    Text,
    /// A flag: the bare key or `= true`/`= false` (`unique_items`).
    Flag,
    /// A string, number or boolean literal written into the schema as JSON (`default = 3`).
    Json,
}

/// The values a keyword applies to; the derive checks it through the field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// Strings (`StringKeywords`).
    Strings,
    /// Numbers (`NumberKeywords`).
    Numbers,
    /// Arrays (`ArrayKeywords`).
    Arrays,
    /// Arrays whose items can be compared (`UniqueItems`).
    UniqueArrays,
    /// Any value (an annotation).
    Any,
    /// Personal data (`PersonalKeywords`): `pii` writes `"confluent:tags": ["PII"]`.
    Personal,
}

/// What checks a keyword at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `check_{attribute}(value, limit, at, errors)` of `event_core::validate`.
    Function,
    /// A check of its own in the generated validator (a compiled `pattern`, `unique_items`).
    Custom,
    /// Nothing: an annotation (`default`, `deprecated`, `example`).
    Annotation,
}

/// One field keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldKeyword {
    /// Its name in `#[event(..)]` (snake case): `max_length`.
    pub attribute: &'static str,
    /// Its name in JSON Schema: `maxLength`.
    pub json: &'static str,
    /// The value it takes.
    pub value: ValueKind,
    /// What it applies to.
    pub applies: Applies,
    /// What checks it at run time.
    pub check: Check,
}

/// Calls `$callback! { $(attribute, "json", ValueKind, Applies, Check;)* }` with every field
/// keyword, in the order schemas and messages list them: the one table, for code that needs
/// the keywords at compile time (the derive's parser and generator).
#[macro_export]
macro_rules! with_field_keywords {
    ($callback:ident) => {
        $callback! {
            minimum, "minimum", Number, Numbers, Function;
            maximum, "maximum", Number, Numbers, Function;
            exclusive_minimum, "exclusiveMinimum", Number, Numbers, Function;
            exclusive_maximum, "exclusiveMaximum", Number, Numbers, Function;
            multiple_of, "multipleOf", Number, Numbers, Function;
            min_length, "minLength", Count, Strings, Function;
            max_length, "maxLength", Count, Strings, Function;
            pattern, "pattern", Text, Strings, Custom;
            format, "format", Text, Strings, Function;
            min_items, "minItems", Count, Arrays, Function;
            max_items, "maxItems", Count, Arrays, Function;
            unique_items, "uniqueItems", Flag, UniqueArrays, Custom;
            default, "default", Json, Any, Annotation;
            deprecated, "deprecated", Flag, Any, Annotation;
            example, "examples", Json, Any, Annotation;
            pii, "confluent:tags", Flag, Personal, Custom;
        }
    };
}

macro_rules! table {
    ($($attribute:ident, $json:literal, $value:ident, $applies:ident, $check:ident;)*) => {
        /// Every field keyword, in the table's order.
        pub const FIELD_KEYWORDS: &[FieldKeyword] = &[$(FieldKeyword {
            attribute: stringify!($attribute),
            json: $json,
            value: ValueKind::$value,
            applies: Applies::$applies,
            check: Check::$check,
        }),*];
    };
}

with_field_keywords!(table);

/// The keyword named `attribute` in `#[event(..)]`.
pub fn field_keyword(attribute: &str) -> Option<&'static FieldKeyword> {
    FIELD_KEYWORDS.iter().find(|k| k.attribute == attribute)
}

/// The JSON names of the keywords that constrain values (not annotations), in table order.
pub fn constraint_names() -> impl Iterator<Item = &'static str> {
    FIELD_KEYWORDS
        .iter()
        .filter(|k| k.check != Check::Annotation)
        .map(|k| k.json)
}
