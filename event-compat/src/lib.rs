//! # event-compat
//!
//! JSON Schema compatibility with Confluent Schema Registry's semantics, for any two
//! documents: it depends on no other crate of kafka-events (`event-core` re-exports it as
//! `event_core::compat`, where the derive names its modes).
//!
//! [`check`] compares two schema documents (Draft 7, and 2019-09 / 2020-12 chosen by their
//! `$schema`) and classifies every difference with Confluent's `Difference.Type` names. A
//! change is compatible when every difference is one a reader tolerates under the policy.
//!
//! ```
//! use event_compat::{check, CompatMode};
//! use serde_json::json;
//!
//! let old = json!({"type": "object", "properties": {"a": {"type": "string", "maxLength": 8}},
//!                  "additionalProperties": false});
//! let new = json!({"type": "object", "properties": {"a": {"type": "string", "maxLength": 4}},
//!                  "additionalProperties": false});
//! let report = check(&old, &new, CompatMode::Backward).unwrap();
//! assert!(!report.is_compatible());
//! assert_eq!(report.changes()[0].kind.name(), "MAX_LENGTH_DECREASED");
//! assert_eq!(report.changes()[0].pointer, "#/properties/a/maxLength");
//! ```
//!
//! Directions follow Confluent: `Backward` asks whether a reader using `new` reads data
//! written with `old` (the diff from `old` to `new`); `Forward` asks the reverse (the same diff
//! with the two swapped); `Full` asks both. The `…Transitive` modes check against every earlier
//! version of a history, the others against the latest only. `None` checks nothing.

#![warn(missing_docs)]

mod array;
mod content;
mod diff;
mod kind;
mod matching;
mod node;
mod object;
mod pointer;

use std::fmt;

use serde_json::Value;

pub use diff::{MAX_COMPARISONS, MAX_DEPTH, MAX_DIFFERENCES};
pub use kind::{ChangeKind, CompatPolicy};
pub use pointer::escape_segment;

use diff::Context;
use node::{Document, Handle};

/// Which readers must keep working, as Confluent's compatibility levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CompatMode {
    /// A reader using the new schema reads data written with the latest old one.
    Backward,
    /// A reader using the latest old schema reads data written with the new one.
    Forward,
    /// Both `Backward` and `Forward` against the latest old schema.
    Full,
    /// `Backward` against every earlier version. The default of kafka-events.
    #[default]
    BackwardTransitive,
    /// `Forward` against every earlier version.
    ForwardTransitive,
    /// `Full` against every earlier version.
    FullTransitive,
    /// No check.
    None,
}

impl CompatMode {
    /// Every mode.
    pub const ALL: [CompatMode; 7] = [
        CompatMode::Backward,
        CompatMode::Forward,
        CompatMode::Full,
        CompatMode::BackwardTransitive,
        CompatMode::ForwardTransitive,
        CompatMode::FullTransitive,
        CompatMode::None,
    ];

    /// Confluent's name, e.g. `"BACKWARD_TRANSITIVE"`.
    pub const fn name(self) -> &'static str {
        match self {
            CompatMode::Backward => "BACKWARD",
            CompatMode::Forward => "FORWARD",
            CompatMode::Full => "FULL",
            CompatMode::BackwardTransitive => "BACKWARD_TRANSITIVE",
            CompatMode::ForwardTransitive => "FORWARD_TRANSITIVE",
            CompatMode::FullTransitive => "FULL_TRANSITIVE",
            CompatMode::None => "NONE",
        }
    }

    /// The mode named `name`, in Confluent's spelling or lower case.
    pub fn from_name(name: &str) -> Option<CompatMode> {
        Self::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name))
    }

    fn directions(self) -> &'static [Direction] {
        match self {
            CompatMode::Backward | CompatMode::BackwardTransitive => &[Direction::Backward],
            CompatMode::Forward | CompatMode::ForwardTransitive => &[Direction::Forward],
            CompatMode::Full | CompatMode::FullTransitive => {
                &[Direction::Backward, Direction::Forward]
            }
            CompatMode::None => &[],
        }
    }

    fn is_transitive(self) -> bool {
        matches!(
            self,
            CompatMode::BackwardTransitive
                | CompatMode::ForwardTransitive
                | CompatMode::FullTransitive
        )
    }
}

impl fmt::Display for CompatMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which reader a change was checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// A reader using the new schema, reading old data.
    Backward,
    /// A reader using the old schema, reading new data.
    Forward,
}

/// Why two documents could not be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompatError {
    /// A schema position holds something that is not a schema.
    #[error("{pointer}: expected a schema (an object or a boolean), found {found}")]
    NotASchema {
        /// Where.
        pointer: String,
        /// What was found.
        found: &'static str,
    },
    /// A `$ref` that does not point into the document.
    #[error("{pointer}: cannot resolve $ref `{reference}`: only local references (#/definitions/…, #/$defs/…) are supported")]
    UnresolvableRef {
        /// The reference.
        reference: String,
        /// Where it is used.
        pointer: String,
    },
    /// The schemas nest deeper than the comparison goes.
    #[error("{pointer}: schemas nest deeper than {limit} levels")]
    TooDeep {
        /// Where the limit was reached.
        pointer: String,
        /// The limit ([`MAX_DEPTH`]).
        limit: usize,
    },
    /// The documents need more comparisons than one check makes.
    #[error(
        "the schemas need more than {limit} comparisons: too many positions or combinator branches"
    )]
    TooComplex {
        /// The limit ([`MAX_COMPARISONS`]).
        limit: usize,
    },
    /// A schema refers to itself without descending into the instance (through `$ref`,
    /// `anyOf`, `oneOf` or `allOf` alone): no validator can evaluate it.
    #[error("{pointer}: the schema refers to itself without descending into the instance")]
    UnguardedRecursion {
        /// Where the reference loops.
        pointer: String,
    },
    /// A history check needs at least one earlier version.
    #[error("the history is empty: give at least one earlier version")]
    EmptyHistory,
}

/// One difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Confluent's kind of the difference.
    pub kind: ChangeKind,
    /// Where, as a JSON pointer in URI fragment form (`#/properties/a`).
    pub pointer: String,
    /// The reader it was checked for.
    pub direction: Direction,
    /// The index (oldest first) of the earlier version it was found against.
    pub against: usize,
    /// Whether the reader tolerates it under the report's policy.
    pub compatible: bool,
}

impl Change {
    /// What changed and why it does or does not break the reader.
    pub fn sentence(&self) -> String {
        let reader = match self.direction {
            Direction::Backward => "a reader of the new schema reading old data",
            Direction::Forward => "a reader of the old schema reading new data",
        };
        let verdict = if self.compatible {
            "compatible"
        } else {
            "breaks"
        };
        format!("{} ({verdict} for {reader})", self.kind.explanation())
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.pointer, self.kind, self.sentence())
    }
}

/// The result of a check: every difference found, compatible ones included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompatReport {
    mode: CompatMode,
    policy: CompatPolicy,
    changes: Vec<Change>,
}

impl CompatReport {
    /// Whether every reader of the mode keeps working.
    pub fn is_compatible(&self) -> bool {
        self.changes.iter().all(|c| c.compatible)
    }

    /// Every difference, in the order found.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The differences that break a reader.
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| !c.compatible)
    }

    /// The mode checked.
    pub fn mode(&self) -> CompatMode {
        self.mode
    }

    /// The policy applied.
    pub fn policy(&self) -> CompatPolicy {
        self.policy
    }
}

/// How a check judges changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckOptions {
    /// Confluent's `compatibilityPolicy`.
    pub policy: CompatPolicy,
    /// Reproduce Confluent's known blind spots exactly (`true`, the default of [`check`] and
    /// [`check_history`]), or report them (`false`, what the snapshot gate uses).
    ///
    /// Confluent compares `required` only for properties that both versions declare, so
    /// making a name required that the new version does not declare (never declared, or
    /// removed in the same change) is not seen, although every old value without it becomes
    /// invalid. With `false` it is reported as `REQUIRED_ATTRIBUTE_ADDED`. Confluent's diff
    /// does not compare `propertyNames`, `patternProperties` between versions, nor `contains`,
    /// `minContains` and `maxContains`; with `false` their changes are reported with
    /// kafka-events' own kinds (`PROPERTY_NAMES_ADDED` …), and a property name that matches
    /// several patterns must be covered by all of them.
    pub confluent_quirks: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            policy: CompatPolicy::Strict,
            confluent_quirks: true,
        }
    }
}

/// Compares `old` and `new` under `mode` with the default (strict) policy.
pub fn check(old: &Value, new: &Value, mode: CompatMode) -> Result<CompatReport, CompatError> {
    check_history(std::slice::from_ref(old), new, mode, CompatPolicy::Strict)
}

/// Compares `new` with a history of earlier versions (oldest first) under `mode` and `policy`:
/// against the latest only, or against every one for the transitive modes.
pub fn check_history(
    history: &[Value],
    new: &Value,
    mode: CompatMode,
    policy: CompatPolicy,
) -> Result<CompatReport, CompatError> {
    check_history_with(
        history,
        new,
        mode,
        CheckOptions {
            policy,
            ..CheckOptions::default()
        },
    )
}

/// [`check_history`] with every option.
pub fn check_history_with(
    history: &[Value],
    new: &Value,
    mode: CompatMode,
    options: CheckOptions,
) -> Result<CompatReport, CompatError> {
    let policy = options.policy;
    let Some(latest) = history.len().checked_sub(1) else {
        return Err(CompatError::EmptyHistory);
    };
    let new_document = Document::new(new)?;
    let against: Vec<usize> = if mode.is_transitive() {
        (0..history.len()).collect()
    } else {
        vec![latest]
    };
    let mut changes = Vec::new();
    for index in against {
        let old_document = Document::new(&history[index])?;
        for &direction in mode.directions() {
            let (writer, reader) = match direction {
                Direction::Backward => (&old_document, &new_document),
                Direction::Forward => (&new_document, &old_document),
            };
            for difference in differences(writer, reader, options)? {
                changes.push(Change {
                    compatible: difference.kind.is_compatible(policy),
                    kind: difference.kind,
                    pointer: difference.pointer,
                    direction,
                    against: index,
                });
            }
        }
    }
    Ok(CompatReport {
        mode,
        policy,
        changes,
    })
}

/// Every difference from `writer` to `reader` (Confluent's `SchemaDiff.compare`).
fn differences(
    writer: &Document<'_>,
    reader: &Document<'_>,
    options: CheckOptions,
) -> Result<Vec<diff::Difference>, CompatError> {
    let mut context = Context::new(writer, reader, options.policy, options.confluent_quirks);
    diff::compare(
        &mut context,
        Handle::whole(writer.root),
        Handle::whole(reader.root),
    )?;
    Ok(context.into_differences())
}

/// Every difference from `original` to `update` as `(kind, pointer)` pairs, the way
/// Confluent's `SchemaDiff.compare` lists them; for comparing with a registry's output.
pub fn diff(
    original: &Value,
    update: &Value,
    policy: CompatPolicy,
) -> Result<Vec<(ChangeKind, String)>, CompatError> {
    let options = CheckOptions {
        policy,
        ..CheckOptions::default()
    };
    diff_with(original, update, options)
}

/// [`diff`] with every option: with `confluent_quirks: false` it also lists what Confluent's
/// diff does not see (kafka-events' own kinds: `propertyNames`, `patternProperties`,
/// `contains` and its counts, and `required` on undeclared names).
pub fn diff_with(
    original: &Value,
    update: &Value,
    options: CheckOptions,
) -> Result<Vec<(ChangeKind, String)>, CompatError> {
    let (original, update) = (Document::new(original)?, Document::new(update)?);
    Ok(differences(&original, &update, options)?
        .into_iter()
        .map(|d| (d.kind, d.pointer))
        .collect())
}
