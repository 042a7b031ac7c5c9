//! Content models, shared by objects (properties) and arrays (tuple positions): what a member
//! removed from a schema, or a schema for the rest, means for a reader.

use serde_json::Value;

use super::diff::{compare, Context};
use super::kind::ChangeKind;
use super::node::Handle;
use super::CompatError;

/// How the rest of an object or tuple is constrained where no member is declared.
pub(crate) enum Rest<'a> {
    /// Anything goes.
    Open,
    /// Must match each of these schemas (partially open; at least one).
    Partial(Vec<&'a Value>),
    /// Nothing else is allowed.
    Closed,
}

/// The kinds a removed member can be reported as.
pub(crate) struct RemovalKinds {
    pub open: ChangeKind,
    pub covered: ChangeKind,
    pub not_covered: ChangeKind,
    pub false_removed: ChangeKind,
    pub closed: ChangeKind,
}

/// Reports a member (property or tuple position) that `original` declared and the new schema,
/// whose rest is `rest`, does not.
pub(crate) fn member_removed<'a>(
    ctx: &mut Context<'a>,
    original: &'a Value,
    rest: Rest<'a>,
    kinds: &RemovalKinds,
) -> Result<(), CompatError> {
    let kind = match rest {
        Rest::Open => kinds.open,
        Rest::Partial(schemas) => {
            let mut covered = true;
            for schema in schemas {
                covered &= ctx.trial(original, schema)?;
            }
            if covered {
                kinds.covered
            } else {
                kinds.not_covered
            }
        }
        Rest::Closed if *original == Value::Bool(false) => kinds.false_removed,
        Rest::Closed => kinds.closed,
    };
    ctx.record(kind);
    Ok(())
}

/// Whether the new member is covered by the old schema's rest: `Some(kind)` for a partially
/// open rest (after comparing the two), `None` otherwise.
pub(crate) fn member_added_to_partial<'a>(
    ctx: &mut Context<'a>,
    rest_schema: &'a Value,
    update: &'a Value,
    [covered, not_covered]: [ChangeKind; 2],
) -> Result<ChangeKind, CompatError> {
    Ok(if ctx.trial(rest_schema, update)? {
        covered
    } else {
        not_covered
    })
}

/// `additionalProperties` or `additionalItems`: `[added, removed, narrowed, extended]`.
pub(crate) fn compare_rest<'a>(
    ctx: &mut Context<'a>,
    original: Option<&'a Value>,
    update: Option<&'a Value>,
    [added, removed, narrowed, extended]: [ChangeKind; 4],
) -> Result<(), CompatError> {
    let permits = |v: Option<&Value>| !matches!(v, Some(Value::Bool(false)));
    let schema = |v: Option<&'a Value>| v.filter(|s| s.is_object());
    if permits(original) != permits(update) {
        ctx.record(if permits(update) { added } else { removed });
        return Ok(());
    }
    match (schema(original), schema(update)) {
        (None, Some(_)) => ctx.record(narrowed),
        (Some(_), None) => ctx.record(extended),
        (Some(o), Some(u)) => compare(ctx, Handle::whole(o), Handle::whole(u))?,
        (None, None) => {}
    }
    Ok(())
}
