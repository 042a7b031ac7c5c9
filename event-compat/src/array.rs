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
                        partial(u_additional).map_or(Rest::Closed, Rest::Partial)
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
