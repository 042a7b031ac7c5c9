//! Arrays: the schema of all items, tuples and their content models, additional items, counts.

use serde_json::{Map, Value};

use super::content::{compare_rest, member_added_to_partial, member_removed, RemovalKinds, Rest};
use super::diff::{compare, compare_bound, compare_optional, number, Context};
use super::kind::ChangeKind::*;
use super::node::Handle;
use super::object::is_empty_schema;
use super::CompatError;

pub(crate) fn compare_array<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let (od, ud) = ctx.documents();
    ctx.enter(&["items"], |ctx| {
        compare_optional(ctx, od.all_items(original), ud.all_items(update))
    })?;
    compare_tuples(ctx, original, update)?;
    compare_additional_items(ctx, original, update)?;
    compare_bound(
        ctx,
        "maxItems",
        number(original, "maxItems"),
        number(update, "maxItems"),
        [
            MaxItemsAdded,
            MaxItemsRemoved,
            MaxItemsIncreased,
            MaxItemsDecreased,
        ],
    );
    compare_bound(
        ctx,
        "minItems",
        number(original, "minItems"),
        number(update, "minItems"),
        [
            MinItemsAdded,
            MinItemsRemoved,
            MinItemsIncreased,
            MinItemsDecreased,
        ],
    );
    if !ctx.confluent_quirks {
        // Confluent's diff does not compare `contains` and its counts.
        compare_contains(ctx, original, update)?;
    }
    let unique = |m: &Map<String, Value>| m.get("uniqueItems") == Some(&Value::Bool(true));
    match (unique(original), unique(update)) {
        (true, false) => ctx.record_at("uniqueItems", UniqueItemsRemoved),
        (false, true) => ctx.record_at("uniqueItems", UniqueItemsAdded),
        _ => {}
    }
    Ok(())
}

fn is_open(additional: Option<&Value>) -> bool {
    matches!(additional, None | Some(Value::Bool(true)))
}

fn partial(additional: Option<&Value>) -> Option<&Value> {
    additional.filter(|schema| schema.is_object())
}

fn compare_tuples<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let (od, ud) = ctx.documents();
    let (o_items, u_items) = (od.tuple_items(original), ud.tuple_items(update));
    let (o_additional, u_additional) = (od.additional_items(original), ud.additional_items(update));
    for index in 0..o_items.len().max(u_items.len()) {
        let segment = index.to_string();
        ctx.enter(&["items", &segment], |ctx| {
            match (o_items.get(index), u_items.get(index)) {
                (Some(o), Some(u)) => compare(ctx, Handle::whole(o), Handle::whole(u))?,
                (Some(o), None) => {
                    let rest = if is_open(u_additional) {
                        Rest::Open
                    } else {
                        partial(u_additional).map_or(Rest::Closed, |rest| Rest::Partial(vec![rest]))
                    };
                    member_removed(ctx, o, rest, &ITEM_REMOVED)?;
                }
                (None, Some(u)) => {
                    if is_open(o_additional) {
                        ctx.record(if is_empty_schema(u) {
                            ItemWithEmptySchemaAddedToOpenContentModel
                        } else {
                            ItemAddedToOpenContentModel
                        });
                    } else if let Some(schema) = partial(o_additional) {
                        let kind = member_added_to_partial(
                            ctx,
                            schema,
                            u,
                            [
                                ItemAddedIsCoveredByPartiallyOpenContentModel,
                                ItemAddedNotCoveredByPartiallyOpenContentModel,
                            ],
                        )?;
                        ctx.record(kind);
                    } else {
                        ctx.record(ItemAddedToClosedContentModel);
                    }
                }
                (None, None) => {}
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn compare_additional_items<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let (od, ud) = ctx.documents();
    let (o, u) = (od.additional_items(original), ud.additional_items(update));
    ctx.enter(&["additionalItems"], |ctx| {
        compare_rest(
            ctx,
            o,
            u,
            [
                AdditionalItemsAdded,
                AdditionalItemsRemoved,
                AdditionalItemsNarrowed,
                AdditionalItemsExtended,
            ],
        )
    })
}

const ITEM_REMOVED: RemovalKinds = RemovalKinds {
    open: ItemRemovedFromOpenContentModel,
    covered: ItemRemovedIsCoveredByPartiallyOpenContentModel,
    not_covered: ItemRemovedNotCoveredByPartiallyOpenContentModel,
    false_removed: ItemWithFalseRemovedFromClosedContentModel,
    closed: ItemRemovedFromClosedContentModel,
};

/// `contains` with `minContains` (1 unless given) and `maxContains`.
fn compare_contains<'a>(
    ctx: &mut Context<'a>,
    original: &'a Map<String, Value>,
    update: &'a Map<String, Value>,
) -> Result<(), CompatError> {
    let counts = |map: &Map<String, Value>| {
        (
            number(map, "minContains").unwrap_or(1.0),
            number(map, "maxContains"),
        )
    };
    let ((o_min, o_max), (u_min, u_max)) = (counts(original), counts(update));
    // `contains` that every array passes (none needed, no bound) constrains nothing.
    let constraining = |map: &'a Map<String, Value>, min: f64, max: Option<f64>| {
        map.get("contains").filter(|_| min > 0.0 || max.is_some())
    };
    match (
        constraining(original, o_min, o_max),
        constraining(update, u_min, u_max),
    ) {
        (_, None) => {
            if original.contains_key("contains") && update.get("contains").is_none() {
                ctx.record_at("contains", ContainsRemoved);
            }
        }
        (None, Some(_)) => ctx.record_at("contains", ContainsAdded),
        (Some(o), Some(u)) => {
            if u_min > o_min {
                ctx.record_at("minContains", MinContainsIncreased);
            } else if u_min < o_min {
                ctx.record_at("minContains", MinContainsDecreased);
            }
            compare_bound(
                ctx,
                "maxContains",
                o_max,
                u_max,
                [
                    MaxContainsAdded,
                    MaxContainsRemoved,
                    MaxContainsIncreased,
                    MaxContainsDecreased,
                ],
            );
            if u_max.is_some() && o != u {
                // A wider schema counts more items, which a bound may then exceed.
                ctx.record_at("contains", ContainsChanged);
            } else {
                ctx.enter(&["contains"], |ctx| {
                    compare(ctx, Handle::whole(o), Handle::whole(u))
                })?;
            }
        }
    }
    Ok(())
}
