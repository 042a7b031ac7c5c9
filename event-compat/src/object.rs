//! Objects: required, properties and content models, dependencies, additional properties,
//! property counts.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use super::content::{compare_rest, member_added_to_partial, member_removed, RemovalKinds, Rest};
use super::diff::{compare_bound, number, Context};
use super::kind::ChangeKind::*;
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
    if !ctx.confluent_quirks {
        // Confluent's diff compares neither; a change to either can reject old data.
        compare_pattern_properties(ctx, original, update)?;
        compare_property_names(ctx, original, update)?;
    }
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
    // Sets and maps for the lookups, so large objects cost linear time, not quadratic.
    let o_required: HashSet<&str> = od.required(original).into_iter().collect();
    let u_required_in_order = ud.required(update);
    let u_required: HashSet<&str> = u_required_in_order.iter().copied().collect();
    let u_properties: HashMap<&str, &Value> = ud.properties(update).into_iter().collect();
    ctx.enter(&["required"], |ctx| {
        for (name, _) in od.properties(original) {
            let Some(u_schema) = u_properties.get(name) else {
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
            for &name in &u_required_in_order {
                let declared = u_properties.contains_key(name);
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

/// What a name is held to in a content model that is not plainly open.
enum Coverage<'a> {
    /// Anything goes under it (no pattern matches it and the rest is open: a blind spot of
    /// Confluent's reading, which calls it closed).
    Open,
    /// Every one of these schemas (at least one).
    Schemas(Vec<&'a Value>),
    /// Nothing may be under it.
    Closed,
}

/// What covers `name` in a content model with patterns or a rest schema: every pattern it
/// matches (a name must satisfy all of them; with Confluent's quirks only the first), else
/// the `additionalProperties` schema, else open or closed as `additionalProperties` says
/// (with Confluent's quirks: closed).
fn coverage<'a>(
    ctx: &Context<'a>,
    map: &'a Map<String, Value>,
    name: &str,
    original_side: bool,
) -> Coverage<'a> {
    let (od, ud) = ctx.documents();
    let document = if original_side { od } else { ud };
    let mut matching: Vec<&'a Value> = document
        .pattern_properties(map)
        .into_iter()
        .filter(|(pattern, _)| ctx.pattern_finds(pattern, name))
        .map(|(_, schema)| schema)
        .collect();
    if !matching.is_empty() {
        if ctx.confluent_quirks {
            matching.truncate(1);
        }
        return Coverage::Schemas(matching);
    }
    match document.additional_properties(map) {
        Some(schema @ Value::Object(_)) => Coverage::Schemas(vec![schema]),
        None | Some(Value::Bool(true)) if !ctx.confluent_quirks => Coverage::Open,
        _ => Coverage::Closed,
    }
}

/// `patternProperties` by pattern: a pattern in both versions compares its schemas; a new one
/// constrains names that were free; a removed one leaves its names to the rest.
fn compare_pattern_properties<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let (od, ud) = ctx.documents();
    let patterns = by_name(
        od.pattern_properties(original),
        ud.pattern_properties(update),
    );
    // Names the pattern covered fall to the rest: safe only when nothing else constrains it.
    let update_is_open = is_open(ctx, update, false);
    ctx.enter(&["patternProperties"], |ctx| {
        for (pattern, sides) in patterns {
            match sides {
                (Some(o), Some(u)) => ctx.enter(&[pattern], |ctx| {
                    super::diff::compare(
                        ctx,
                        super::node::Handle::whole(o),
                        super::node::Handle::whole(u),
                    )
                })?,
                (None, Some(_)) => ctx.record_at(pattern, PatternPropertyAdded),
                (Some(_), None) => ctx.record_at(
                    pattern,
                    if update_is_open {
                        PatternPropertyRemovedFromOpenContentModel
                    } else {
                        PatternPropertyRemovedFromClosedContentModel
                    },
                ),
                (None, None) => {}
            }
        }
        Ok(())
    })
}

/// `propertyNames`: a schema every name must match, compared as the schema of the names.
fn compare_property_names<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let constrains = |schema: &Value| !is_empty_schema(schema);
    let (o, u) = (
        original.get("propertyNames").filter(|s| constrains(s)),
        update.get("propertyNames").filter(|s| constrains(s)),
    );
    match (o, u) {
        (None, None) => Ok(()),
        (Some(_), None) => {
            ctx.record_at("propertyNames", PropertyNamesRemoved);
            Ok(())
        }
        (None, Some(_)) => {
            ctx.record_at("propertyNames", PropertyNamesAdded);
            Ok(())
        }
        (Some(o), Some(u)) => ctx.enter(&["propertyNames"], |ctx| {
            super::diff::compare(
                ctx,
                super::node::Handle::whole(o),
                super::node::Handle::whole(u),
            )
        }),
    }
}

/// What the original and the update hold under each name.
type Sides<T> = (Option<T>, Option<T>);

/// The entries of both sides by name, in name order: one pass, no search per name.
fn by_name<'k, T>(
    original: impl IntoIterator<Item = (&'k str, T)>,
    update: impl IntoIterator<Item = (&'k str, T)>,
) -> BTreeMap<&'k str, Sides<T>> {
    let mut names: BTreeMap<&'k str, Sides<T>> = BTreeMap::new();
    for (name, item) in original {
        names.entry(name).or_insert((None, None)).0 = Some(item);
    }
    for (name, item) in update {
        names.entry(name).or_insert((None, None)).1 = Some(item);
    }
    names
}

fn compare_properties<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let (od, ud) = ctx.documents();
    let u_required: HashSet<&str> = ud.required(update).into_iter().collect();
    let names = by_name(od.properties(original), ud.properties(update));
    ctx.enter(&["properties"], |ctx| {
        for (name, (o_schema, u_schema)) in names {
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
        match coverage(ctx, update, name, false) {
            Coverage::Open => Rest::Open,
            Coverage::Schemas(schemas) => Rest::Partial(schemas),
            Coverage::Closed => Rest::Closed,
        }
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
    if is_open(ctx, original, true) {
        return added_to_open(ctx, update, required);
    }
    // Old data under this name matched every schema that covered it; being covered by one of
    // them is enough (the first, as Confluent reads it).
    let covered_by = match coverage(ctx, original, name, true) {
        Coverage::Open => {
            // Old data may carry the name with any value: as in an open model.
            return added_to_open(ctx, update, required);
        }
        Coverage::Schemas(schemas) => schemas.first().copied(),
        Coverage::Closed => None,
    };
    if let Some(partial) = covered_by {
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
    let kind = if required && has_default(update) {
        RequiredPropertyWithDefaultAddedToUnopenContentModel
    } else if required {
        RequiredPropertyAddedToUnopenContentModel
    } else {
        OptionalPropertyAddedToUnopenContentModel
    };
    ctx.record(kind);
    Ok(())
}

/// A property declared where old data could carry the name with any value.
fn added_to_open(ctx: &mut Context<'_>, update: &Value, required: bool) -> Result<(), CompatError> {
    ctx.record(if is_empty_schema(update) {
        PropertyWithEmptySchemaAddedToOpenContentModel
    } else if required && has_default(update) {
        RequiredPropertyWithDefaultAddedToOpenContentModel
    } else if required {
        RequiredPropertyAddedToOpenContentModel
    } else {
        OptionalPropertyAddedToOpenContentModel
    });
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
    // A dependency's schema applies to the object itself: no step into the instance.
    ctx.within_same_instance(&["dependencies"], |ctx| {
        let arrays = by_name(
            o_arrays.iter().map(|(key, names)| (*key, names)),
            u_arrays.iter().map(|(key, names)| (*key, names)),
        );
        for (key, sides) in arrays {
            let kind = match sides {
                (_, None) => Some(DependencyArrayRemoved),
                (None, Some(_)) => Some(DependencyArrayAdded),
                (Some(o), Some(u)) => {
                    let (o, u): (HashSet<&str>, HashSet<&str>) =
                        (o.iter().copied().collect(), u.iter().copied().collect());
                    match (o.is_subset(&u), u.is_subset(&o)) {
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
        for (key, sides) in by_name(o_schemas, u_schemas) {
            match sides {
                (_, None) => ctx.record_at(key, DependencySchemaRemoved),
                (None, Some(_)) => ctx.record_at(key, DependencySchemaAdded),
                (Some(o), Some(u)) => ctx.within_same_instance(&[key], |ctx| {
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
