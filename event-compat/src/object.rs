//! Objects: required, properties and content models, dependencies, additional properties,
//! property counts.

use serde_json::{Map, Value};

use super::content::{compare_rest, member_added_to_partial, member_removed, RemovalKinds, Rest};
use super::diff::{compare_bound, number, Context};
use super::kind::ChangeKind::{self, *};
use super::CompatError;

pub(crate) fn compare_object<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    compare_required(ctx, original, update)?;
    compare_properties(ctx, original, update)?;
    compare_dependencies(ctx, original, update)?;
    compare_additional_properties(ctx, original, update)?;
    compare_bound(
        ctx,
        "maxProperties",
        number(original, "maxProperties"),
        number(update, "maxProperties"),
        [
            MaxPropertiesAdded,
            MaxPropertiesRemoved,
            MaxPropertiesIncreased,
            MaxPropertiesDecreased,
        ],
    );
    compare_bound(
        ctx,
        "minProperties",
        number(original, "minProperties"),
        number(update, "minProperties"),
        [
            MinPropertiesAdded,
            MinPropertiesRemoved,
            MinPropertiesIncreased,
            MinPropertiesDecreased,
        ],
    );
    Ok(())
}

fn has_default(schema: &Value) -> bool {
    schema.get("default").is_some()
}

fn compare_required<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let (od, ud) = ctx.documents();
    let (o_required, u_required) = (od.required(original), ud.required(update));
    let u_properties = ud.properties(update);
    ctx.enter(&["required"], |ctx| {
        for (name, _) in od.properties(original) {
            let Some((_, u_schema)) = u_properties.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let (was, is) = (o_required.contains(&name), u_required.contains(&name));
            if was && !is {
                ctx.record_at(name, RequiredAttributeRemoved);
            } else if !was && is {
                let kind = if has_default(u_schema) {
                    RequiredAttributeWithDefaultAdded
                } else {
                    RequiredAttributeAdded
                };
                ctx.record_at(name, kind);
            }
        }
        if !ctx.confluent_quirks {
            // Confluent compares `required` only for properties both versions declare, so a
            // newly required name that the new version does not declare goes unseen, although
            // old data without it is now invalid.
            for &name in &u_required {
                let declared = u_properties.iter().any(|(n, _)| *n == name);
                if !declared && !o_required.contains(&name) {
                    ctx.record_at(name, RequiredAttributeAdded);
                }
            }
        }
        Ok(())
    })
}

/// The content model of an object: open (anything else goes), partially open (a schema for
/// the rest), or closed.
fn is_open(ctx: &Context<'_>, map: &Map<String, Value>, original_side: bool) -> bool {
    let (od, ud) = ctx.documents();
    let document = if original_side { od } else { ud };
    document.pattern_properties(map).is_empty()
        && matches!(
            document.additional_properties(map),
            None | Some(Value::Bool(true))
        )
}

/// The schema that covers `name` in a partially open content model.
fn partial_schema<'a>(
    ctx: &Context<'a>,
    map: &'a Map<String, Value>,
    name: &str,
    original_side: bool,
) -> Option<&'a Value> {
    let (od, ud) = ctx.documents();
    let document = if original_side { od } else { ud };
    for (pattern, schema) in document.pattern_properties(map) {
        if pattern_matches(pattern, name) {
            return Some(schema);
        }
    }
    document
        .additional_properties(map)
        .filter(|schema| schema.is_object())
}

/// Whether an ECMA-262 style pattern finds a match in `name`. Supports the subset schemas
/// use for property names: literals, `^`, `$`, `.`, classes `[..]`, and `*`, `+`, `?`.
fn pattern_matches(pattern: &str, name: &str) -> bool {
    super::pattern::find(pattern, name)
}

fn compare_properties<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let (od, ud) = ctx.documents();
    let o_properties = od.properties(original);
    let u_properties = ud.properties(update);
    let u_required = ud.required(update);
    let mut names: Vec<&str> = o_properties.iter().map(|(n, _)| *n).collect();
    for (name, _) in &u_properties {
        if !names.contains(name) {
            names.push(name);
        }
    }
    names.sort_unstable();
    ctx.enter(&["properties"], |ctx| {
        for name in names {
            let o_schema = o_properties
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| *s);
            let u_schema = u_properties
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| *s);
            ctx.enter(&[name], |ctx| {
                match (o_schema, u_schema) {
                    (Some(o), Some(u)) => super::diff::compare(
                        ctx,
                        super::node::Handle::whole(o),
                        super::node::Handle::whole(u),
                    )?,
                    (Some(o), None) => removed(ctx, update, name, o)?,
                    (None, Some(u)) => added(ctx, original, name, u, u_required.contains(&name))?,
                    (None, None) => {}
                }
                Ok(())
            })?;
        }
        Ok(())
    })
}

fn removed<'a>(
    ctx: &mut Context<'a>,
    update: &'a Map<String, Value>,
    name: &str,
    original: &'a Value,
) -> Result<(), CompatError> {
    let rest = if is_open(ctx, update, false) {
        Rest::Open
    } else {
        partial_schema(ctx, update, name, false).map_or(Rest::Closed, Rest::Partial)
    };
    member_removed(ctx, original, rest, &PROPERTY_REMOVED)
}

const PROPERTY_REMOVED: RemovalKinds = RemovalKinds {
    open: PropertyRemovedFromOpenContentModel,
    covered: PropertyRemovedIsCoveredByPartiallyOpenContentModel,
    not_covered: PropertyRemovedNotCoveredByPartiallyOpenContentModel,
    false_removed: PropertyWithFalseRemovedFromClosedContentModel,
    closed: PropertyRemovedFromClosedContentModel,
};

fn added<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    name: &str,
    update: &'a Value,
    required: bool,
) -> Result<(), CompatError> {
    let kind: ChangeKind;
    if is_open(ctx, original, true) {
        kind = if is_empty_schema(update) {
            PropertyWithEmptySchemaAddedToOpenContentModel
        } else if required && has_default(update) {
            RequiredPropertyWithDefaultAddedToOpenContentModel
        } else if required {
            RequiredPropertyAddedToOpenContentModel
        } else {
            OptionalPropertyAddedToOpenContentModel
        };
        ctx.record(kind);
        return Ok(());
    }
    if let Some(partial) = partial_schema(ctx, original, name, true) {
        let kind = member_added_to_partial(
            ctx,
            partial,
            update,
            [
                PropertyAddedIsCoveredByPartiallyOpenContentModel,
                PropertyAddedNotCoveredByPartiallyOpenContentModel,
            ],
        )?;
        ctx.record(kind);
    }
    kind = if required && has_default(update) {
        RequiredPropertyWithDefaultAddedToUnopenContentModel
    } else if required {
        RequiredPropertyAddedToUnopenContentModel
    } else {
        OptionalPropertyAddedToUnopenContentModel
    };
    ctx.record(kind);
    Ok(())
}

/// `true` or a schema with no validation keyword.
pub(crate) fn is_empty_schema(schema: &Value) -> bool {
    match schema {
        Value::Bool(accepts) => *accepts,
        Value::Object(map) => map.keys().all(|k| {
            matches!(
                k.as_str(),
                "title" | "description" | "default" | "examples" | "$id" | "id" | "$comment"
            )
        }),
        _ => false,
    }
}

fn compare_dependencies<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let (od, ud) = ctx.documents();
    let (o_arrays, u_arrays) = (od.dependency_arrays(original), ud.dependency_arrays(update));
    let (o_schemas, u_schemas) = (
        od.dependency_schemas(original),
        ud.dependency_schemas(update),
    );
    ctx.enter(&["dependencies"], |ctx| {
        let mut keys: Vec<&str> = o_arrays.iter().chain(&u_arrays).map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            let o = o_arrays.iter().find(|(k, _)| *k == key).map(|(_, v)| v);
            let u = u_arrays.iter().find(|(k, _)| *k == key).map(|(_, v)| v);
            let kind = match (o, u) {
                (_, None) => Some(DependencyArrayRemoved),
                (None, Some(_)) => Some(DependencyArrayAdded),
                (Some(o), Some(u)) => {
                    let u_covers_o = o.iter().all(|n| u.contains(n));
                    let o_covers_u = u.iter().all(|n| o.contains(n));
                    match (u_covers_o, o_covers_u) {
                        (true, true) => None,
                        (true, false) => Some(DependencyArrayExtended),
                        (false, true) => Some(DependencyArrayNarrowed),
                        (false, false) => Some(DependencyArrayChanged),
                    }
                }
            };
            if let Some(kind) = kind {
                ctx.record_at(key, kind);
            }
        }
        let mut keys: Vec<&str> = o_schemas
            .iter()
            .chain(&u_schemas)
            .map(|(k, _)| *k)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            let o = o_schemas.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
            let u = u_schemas.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
            match (o, u) {
                (_, None) => ctx.record_at(key, DependencySchemaRemoved),
                (None, Some(_)) => ctx.record_at(key, DependencySchemaAdded),
                (Some(o), Some(u)) => ctx.enter(&[key], |ctx| {
                    super::diff::compare(
                        ctx,
                        super::node::Handle::whole(o),
                        super::node::Handle::whole(u),
                    )
                })?,
            }
        }
        Ok(())
    })
}

fn compare_additional_properties<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let (od, ud) = ctx.documents();
    let o = od.additional_properties(original);
    let u = ud.additional_properties(update);
    ctx.enter(&["additionalProperties"], |ctx| {
        compare_rest(
            ctx,
            o,
            u,
            [
                AdditionalPropertiesAdded,
                AdditionalPropertiesRemoved,
                AdditionalPropertiesNarrowed,
                AdditionalPropertiesExtended,
            ],
        )
    })
}
