//! The comparison of two schemas, following Confluent Schema Registry's JSON Schema diff:
//! every difference between `original` (the writer's schema) and `update` (the reader's) is
//! recorded with its kind and JSON pointer.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::kind::{ChangeKind, CompatPolicy};
use super::matching::maximum_matching;
use super::node::{annotations, Criterion, Document, Handle, Node};
use super::CompatError;
use crate::pointer::escape_segment;

/// The deepest nesting compared before giving up with [`CompatError::TooDeep`]: of the
/// instance path, and of schemas compared inside one another (through `$ref` and combinators
/// as well as properties).
pub const MAX_DEPTH: usize = 128;

/// The most pairs of schema positions one comparison looks at before giving up with
/// [`CompatError::TooComplex`]. Each distinct pair is compared once (the result is reused
/// wherever the pair recurs), so only documents with very many positions, or combinators with
/// very many branches, come near it; the catalog's largest event takes a few hundred.
pub const MAX_COMPARISONS: usize = 200_000;

/// The most differences one comparison lists. Past it, a difference is listed only if its
/// kind is not listed yet, so the verdict (which depends on the kinds) stays exact while a
/// change under a definition used along exponentially many paths is not listed on each.
pub const MAX_DIFFERENCES: usize = 10_000;

/// The largest compiled size of a `patternProperties` pattern (1 MiB); a larger pattern is
/// treated like one that does not compile: it matches nothing.
const MAX_PATTERN_SIZE: usize = 1 << 20;

/// One difference: its kind and where it is (`#/properties/a`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Difference {
    pub kind: ChangeKind,
    pub pointer: String,
}

type Pair = ((usize, super::node::Part), (usize, super::node::Part));

/// The state of one comparison.
pub(crate) struct Context<'a> {
    original: &'a Document<'a>,
    update: &'a Document<'a>,
    policy: CompatPolicy,
    /// Reproduce Confluent's known blind spots (see [`super::CheckOptions`]).
    pub(crate) confluent_quirks: bool,
    path: Vec<String>,
    differences: Vec<Difference>,
    /// The kinds in `differences`.
    listed_kinds: HashSet<ChangeKind>,
    /// Pairs of schemas being compared on the current path, with the instance depth when each
    /// began: a repeat deeper in the instance is a recursive reference, which stops there; a
    /// repeat at the same depth is a schema that refers to itself without descending.
    active: HashMap<Pair, usize>,
    /// Nested `compare` calls on the current path.
    depth: usize,
    /// How many of the path's steps descend into the instance (`properties/a`, `items` …);
    /// combinators, `not` and dependencies apply to the same instance and do not count.
    instance_depth: usize,
    /// What every trial context of this comparison shares.
    shared: Rc<Shared>,
}

/// The budget and caches of one comparison, shared by its trial contexts.
#[derive(Default)]
struct Shared {
    /// `compare` calls so far.
    comparisons: Cell<usize>,
    /// The differences of each pair compared, pointers relative to the pair's position.
    memo: RefCell<HashMap<Pair, Vec<(ChangeKind, String)>>>,
    /// Compiled `patternProperties` patterns (`None`: does not compile).
    patterns: RefCell<HashMap<String, Option<regex::Regex>>>,
}

impl<'a> Context<'a> {
    pub fn new(
        original: &'a Document<'a>,
        update: &'a Document<'a>,
        policy: CompatPolicy,
        confluent_quirks: bool,
    ) -> Self {
        Context {
            original,
            update,
            policy,
            confluent_quirks,
            path: Vec::new(),
            differences: Vec::new(),
            listed_kinds: HashSet::new(),
            active: HashMap::new(),
            depth: 0,
            instance_depth: 0,
            shared: Rc::default(),
        }
    }

    pub fn into_differences(self) -> Vec<Difference> {
        self.differences
    }

    fn pointer(&self) -> String {
        if self.path.is_empty() {
            "#/".to_owned()
        } else {
            format!("#/{}", self.path.join("/"))
        }
    }

    fn add(&mut self, kind: ChangeKind) {
        let pointer = self.pointer();
        self.push(Difference { kind, pointer });
    }

    fn add_at(&mut self, segment: &str, kind: ChangeKind) {
        self.path.push(escape_segment(segment));
        self.add(kind);
        self.path.pop();
    }

    /// A context for a trial comparison: same documents, path and active pairs, no differences.
    fn sub(&self) -> Context<'a> {
        Context {
            original: self.original,
            update: self.update,
            policy: self.policy,
            confluent_quirks: self.confluent_quirks,
            path: self.path.clone(),
            differences: Vec::new(),
            listed_kinds: HashSet::new(),
            active: self.active.clone(),
            depth: self.depth,
            instance_depth: self.instance_depth,
            shared: Rc::clone(&self.shared),
        }
    }

    /// Whether `pattern` finds a match in `text`, as Confluent matches `patternProperties`;
    /// each pattern is compiled once per comparison.
    pub(crate) fn pattern_finds(&self, pattern: &str, text: &str) -> bool {
        let mut patterns = self.shared.patterns.borrow_mut();
        let compiled = patterns.entry(pattern.to_owned()).or_insert_with(|| {
            regex::RegexBuilder::new(pattern)
                .size_limit(MAX_PATTERN_SIZE)
                .build()
                .ok()
        });
        compiled.as_ref().is_some_and(|regex| regex.is_match(text))
    }

    /// Lists `difference`, within [`MAX_DIFFERENCES`] unless its kind is not listed yet.
    fn push(&mut self, difference: Difference) {
        if self.differences.len() < MAX_DIFFERENCES || !self.listed_kinds.contains(&difference.kind)
        {
            self.listed_kinds.insert(difference.kind);
            self.differences.push(difference);
        }
    }

    /// Counts one more comparison against [`MAX_COMPARISONS`].
    fn count_comparison(&self) -> Result<(), CompatError> {
        let done = self.shared.comparisons.get() + 1;
        self.shared.comparisons.set(done);
        if done > MAX_COMPARISONS {
            return Err(CompatError::TooComplex {
                limit: MAX_COMPARISONS,
            });
        }
        Ok(())
    }

    /// The differences added since `start`, their pointers made relative to `base` (the
    /// pointer where they were found from).
    fn relative_since(&self, start: usize, base: &str) -> Vec<(ChangeKind, String)> {
        self.differences[start..]
            .iter()
            .map(|difference| {
                let pointer = difference.pointer.as_str();
                let relative = if base == "#/" {
                    pointer.strip_prefix('#').filter(|rest| *rest != "/")
                } else {
                    pointer.strip_prefix(base)
                };
                (difference.kind, relative.unwrap_or_default().to_owned())
            })
            .collect()
    }

    /// Adds differences recorded by [`relative_since`](Self::relative_since) at this position.
    fn replay(&mut self, known: &[(ChangeKind, String)]) {
        let base = self.pointer();
        for (kind, relative) in known {
            let pointer = if relative.is_empty() {
                base.clone()
            } else if base == "#/" {
                format!("#{relative}")
            } else {
                format!("{base}{relative}")
            };
            self.push(Difference {
                kind: *kind,
                pointer,
            });
        }
    }

    fn is_compatible(&self) -> bool {
        self.differences
            .iter()
            .all(|d| d.kind.is_compatible(self.policy))
    }

    fn absorb(&mut self, other: Context<'a>) {
        for difference in other.differences {
            self.push(difference);
        }
    }

    /// Compares under `segments` appended to the path, one step deeper in the instance.
    fn within<T>(
        &mut self,
        segments: &[&str],
        run: impl FnOnce(&mut Self) -> Result<T, CompatError>,
    ) -> Result<T, CompatError> {
        self.instance_depth += 1;
        let result = self.within_same_instance(segments, run);
        self.instance_depth -= 1;
        result
    }

    /// Compares under `segments` appended to the path, at the same place in the instance (a
    /// combinator's branch, `not`, a dependency's schema).
    pub(crate) fn within_same_instance<T>(
        &mut self,
        segments: &[&str],
        run: impl FnOnce(&mut Self) -> Result<T, CompatError>,
    ) -> Result<T, CompatError> {
        let depth = self.path.len();
        self.path.extend(segments.iter().map(|s| escape_segment(s)));
        if self.path.len() > MAX_DEPTH {
            let pointer = self.pointer();
            self.path.truncate(depth);
            return Err(CompatError::TooDeep {
                pointer,
                limit: MAX_DEPTH,
            });
        }
        let result = run(self);
        self.path.truncate(depth);
        result
    }
}

/// Compares two optional schemas.
pub(crate) fn compare_optional<'a>(
    ctx: &mut Context<'a>,
    original: Option<&'a Value>,
    update: Option<&'a Value>,
) -> Result<(), CompatError> {
    match (original, update) {
        (None, None) => Ok(()),
        (None, Some(_)) => {
            ctx.add(ChangeKind::SchemaAdded);
            Ok(())
        }
        (Some(_), None) => {
            ctx.add(ChangeKind::SchemaRemoved);
            Ok(())
        }
        (Some(o), Some(u)) => compare(ctx, Handle::whole(o), Handle::whole(u)),
    }
}

/// Compares two schema positions.
///
/// Bounded on any input: nesting is limited ([`MAX_DEPTH`], [`CompatError::TooDeep`]), so is
/// the number of comparisons ([`MAX_COMPARISONS`], [`CompatError::TooComplex`]); each pair of
/// positions is compared once and its differences reused where it recurs (a chain of
/// definitions that each refer to the next twice costs linear, not exponential, time); a
/// schema that refers to itself without descending into the instance is
/// [`CompatError::UnguardedRecursion`].
pub(crate) fn compare<'a>(
    ctx: &mut Context<'a>,
    original: Handle<'a>,
    update: Handle<'a>,
) -> Result<(), CompatError> {
    if ctx.path.len() > MAX_DEPTH || ctx.depth >= MAX_DEPTH {
        return Err(CompatError::TooDeep {
            pointer: ctx.pointer(),
            limit: MAX_DEPTH,
        });
    }
    ctx.count_comparison()?;
    let pointer = ctx.pointer();
    let (original_node, original) = ctx.original.classify(original, &pointer)?;
    let (update_node, update) = ctx.update.classify(update, &pointer)?;

    let pair = (original.key(), update.key());
    if let Some(&began_at) = ctx.active.get(&pair) {
        if began_at == ctx.instance_depth {
            return Err(CompatError::UnguardedRecursion { pointer });
        }
        return Ok(()); // a recursive reference: already being compared further up
    }
    let known = ctx.shared.memo.borrow().get(&pair).cloned();
    if let Some(known) = known {
        ctx.replay(&known);
        return Ok(());
    }
    ctx.active.insert(pair, ctx.instance_depth);
    ctx.depth += 1;
    let start = ctx.differences.len();
    let result = compare_pair(ctx, original, original_node, update, update_node);
    ctx.depth -= 1;
    ctx.active.remove(&pair);
    if result.is_ok() {
        let found = ctx.relative_since(start, &pointer);
        ctx.shared.memo.borrow_mut().insert(pair, found);
    }
    result
}

/// [`compare`] of two classified positions not compared before.
fn compare_pair<'a>(
    ctx: &mut Context<'a>,
    original: Handle<'a>,
    original_node: Node<'a>,
    update: Handle<'a>,
    update_node: Node<'a>,
) -> Result<(), CompatError> {
    // Unions and intersections against a plain schema.
    match (&original_node, &update_node) {
        (
            other,
            Node::Combined {
                criterion,
                subschemas,
            },
        ) if !matches!(other, Node::Combined { .. }) => {
            if subschemas.len() == 1 {
                let mut sub = ctx.sub();
                compare(&mut sub, original, subschemas[0])?;
                if sub.is_compatible() {
                    ctx.absorb(sub);
                    return Ok(());
                }
            } else if matches!(criterion, Criterion::Any | Criterion::One) {
                for &subschema in subschemas {
                    let mut sub = ctx.sub();
                    compare(&mut sub, original, subschema)?;
                    if sub.is_compatible() {
                        ctx.absorb(sub);
                        ctx.add(ChangeKind::SumTypeExtended);
                        if *criterion == Criterion::One {
                            check_one_of_exclusive(ctx, subschemas)?;
                        }
                        return Ok(());
                    }
                }
            }
        }
        (
            Node::Combined {
                criterion,
                subschemas,
            },
            other,
        ) if !matches!(other, Node::Combined { .. }) => {
            if subschemas.len() == 1 {
                let mut sub = ctx.sub();
                compare(&mut sub, subschemas[0], update)?;
                if sub.is_compatible() {
                    ctx.absorb(sub);
                    return Ok(());
                }
            } else if *criterion == Criterion::All {
                for &subschema in subschemas {
                    let mut sub = ctx.sub();
                    compare(&mut sub, subschema, update)?;
                    if sub.is_compatible() {
                        ctx.absorb(sub);
                        ctx.add(ChangeKind::ProductTypeNarrowed);
                        return Ok(());
                    }
                }
            }
        }
        _ => {}
    }

    if original_node.class() != update_node.class() {
        if !matches!(original_node, Node::False) && !matches!(update_node, Node::Empty) {
            ctx.add(ChangeKind::TypeChanged);
        }
        return Ok(());
    }

    compare_same_class(ctx, original, update, original_node, update_node)
}

/// The `PII` tag of `confluent:tags` (kafka-events' own kinds: Confluent's diff does not
/// compare tags). Adding it is compatible for a reader of the new schema (old values are in
/// clear); removing it is not (old values may be ciphertext); `FORWARD` sees the reverse.
fn compare_pii_tag(ctx: &mut Context<'_>, original: &Value, update: &Value) {
    let tagged = |value: &Value| {
        value
            .get("confluent:tags")
            .and_then(Value::as_array)
            .is_some_and(|tags| tags.iter().any(|tag| tag == "PII"))
    };
    match (tagged(original), tagged(update)) {
        (false, true) => ctx.add(ChangeKind::PiiTagAdded),
        (true, false) => ctx.add(ChangeKind::PiiTagRemoved),
        _ => {}
    }
}

fn compare_same_class<'a>(
    ctx: &mut Context<'a>,
    original: Handle<'a>,
    update: Handle<'a>,
    original_node: Node<'a>,
    update_node: Node<'a>,
) -> Result<(), CompatError> {
    if original.part == super::node::Part::Whole && update.part == super::node::Part::Whole {
        let kinds = [
            ChangeKind::IdChanged,
            ChangeKind::TitleChanged,
            ChangeKind::DescriptionChanged,
            ChangeKind::DefaultChanged,
        ];
        for ((_, a), ((_, b), kind)) in annotations(original.value)
            .into_iter()
            .zip(annotations(update.value).into_iter().zip(kinds))
        {
            if a != b {
                ctx.add(kind);
            }
        }
        if !ctx.confluent_quirks {
            compare_pii_tag(ctx, original.value, update.value);
        }
    }
    match (original_node, update_node) {
        (Node::String(o), Node::String(u)) => compare_string(ctx, o, u),
        (
            Node::Number {
                map: o,
                integer: oi,
            },
            Node::Number {
                map: u,
                integer: ui,
            },
        ) => compare_number(ctx, o, u, oi, ui),
        (Node::Enum(o), Node::Enum(u)) => {
            compare_enum(ctx, &o, &u);
            Ok(())
        }
        (Node::Const(o), Node::Const(u)) => {
            if o != u {
                ctx.add_at("const", ChangeKind::EnumArrayChanged);
            }
            Ok(())
        }
        (
            Node::Combined {
                criterion: oc,
                subschemas: os,
            },
            Node::Combined {
                criterion: uc,
                subschemas: us,
            },
        ) => compare_combined(ctx, oc, os, uc, us),
        (Node::Not(o), Node::Not(u)) => ctx.within_same_instance(&["not"], |ctx| {
            let mut sub = ctx.sub();
            compare(&mut sub, u, o)?;
            let kind = if sub.is_compatible() {
                ChangeKind::NotTypeNarrowed
            } else {
                ChangeKind::NotTypeExtended
            };
            ctx.add(kind);
            Ok(())
        }),
        (Node::Object(o), Node::Object(u)) => super::object::compare_object(ctx, o, u),
        (Node::Array(o), Node::Array(u)) => super::array::compare_array(ctx, o, u),
        _ => Ok(()),
    }
}

/// The added/removed/increased/decreased difference of one numeric keyword.
#[allow(clippy::too_many_arguments)]
pub(crate) fn compare_bound(
    ctx: &mut Context<'_>,
    keyword: &str,
    original: Option<f64>,
    update: Option<f64>,
    [added, removed, increased, decreased]: [ChangeKind; 4],
) {
    let kind = match (original, update) {
        (None, Some(_)) => added,
        (Some(_), None) => removed,
        (Some(o), Some(u)) if o < u => increased,
        (Some(o), Some(u)) if o > u => decreased,
        _ => return,
    };
    ctx.add_at(keyword, kind);
}

pub(crate) fn number(map: &Map<String, Value>, keyword: &str) -> Option<f64> {
    map.get(keyword).and_then(Value::as_f64)
}

fn compare_string(
    ctx: &mut Context<'_>,
    o: &Map<String, Value>,
    u: &Map<String, Value>,
) -> Result<(), CompatError> {
    use ChangeKind::*;
    compare_bound(
        ctx,
        "maxLength",
        number(o, "maxLength"),
        number(u, "maxLength"),
        [
            MaxLengthAdded,
            MaxLengthRemoved,
            MaxLengthIncreased,
            MaxLengthDecreased,
        ],
    );
    compare_bound(
        ctx,
        "minLength",
        number(o, "minLength"),
        number(u, "minLength"),
        [
            MinLengthAdded,
            MinLengthRemoved,
            MinLengthIncreased,
            MinLengthDecreased,
        ],
    );
    match (o.get("pattern"), u.get("pattern")) {
        (None, Some(_)) => ctx.add_at("pattern", PatternAdded),
        (Some(_), None) => ctx.add_at("pattern", PatternRemoved),
        (Some(a), Some(b)) if a != b => ctx.add_at("pattern", PatternChanged),
        _ => {}
    }
    Ok(())
}

fn compare_number(
    ctx: &mut Context<'_>,
    o: &Map<String, Value>,
    u: &Map<String, Value>,
    original_integer: bool,
    update_integer: bool,
) -> Result<(), CompatError> {
    use ChangeKind::*;
    let bounds = [
        (
            "maximum",
            [
                MaximumAdded,
                MaximumRemoved,
                MaximumIncreased,
                MaximumDecreased,
            ],
        ),
        (
            "minimum",
            [
                MinimumAdded,
                MinimumRemoved,
                MinimumIncreased,
                MinimumDecreased,
            ],
        ),
        (
            "exclusiveMaximum",
            [
                ExclusiveMaximumAdded,
                ExclusiveMaximumRemoved,
                ExclusiveMaximumIncreased,
                ExclusiveMaximumDecreased,
            ],
        ),
        (
            "exclusiveMinimum",
            [
                ExclusiveMinimumAdded,
                ExclusiveMinimumRemoved,
                ExclusiveMinimumIncreased,
                ExclusiveMinimumDecreased,
            ],
        ),
    ];
    for (keyword, kinds) in bounds {
        compare_bound(ctx, keyword, number(o, keyword), number(u, keyword), kinds);
    }
    match (number(o, "multipleOf"), number(u, "multipleOf")) {
        (None, Some(_)) => ctx.add_at("multipleOf", MultipleOfAdded),
        (Some(_), None) => ctx.add_at("multipleOf", MultipleOfRemoved),
        (Some(a), Some(b)) if a != b => {
            let kind = if is_multiple(a, b) {
                MultipleOfReduced
            } else if is_multiple(b, a) {
                MultipleOfExpanded
            } else {
                MultipleOfChanged
            };
            ctx.add_at("multipleOf", kind);
        }
        _ => {}
    }
    if original_integer != update_integer {
        ctx.add(if update_integer {
            TypeNarrowed
        } else {
            TypeExtended
        });
    }
    Ok(())
}

/// Whether `value` is a multiple of `factor`.
fn is_multiple(value: f64, factor: f64) -> bool {
    if factor == 0.0 {
        return false;
    }
    let ratio = value / factor;
    (ratio - ratio.round()).abs() < 1e-9
}

fn compare_enum(ctx: &mut Context<'_>, original: &[&Value], update: &[&Value]) {
    let covers = |a: &[&Value], b: &[&Value]| b.iter().all(|v| a.contains(v));
    let same = covers(original, update) && covers(update, original);
    if same {
        return;
    }
    let kind = if covers(update, original) {
        ChangeKind::EnumArrayExtended
    } else if covers(original, update) {
        ChangeKind::EnumArrayNarrowed
    } else {
        ChangeKind::EnumArrayChanged
    };
    ctx.add_at("enum", kind);
}

fn compare_combined<'a>(
    ctx: &mut Context<'a>,
    original_criterion: Criterion,
    original: Vec<Handle<'a>>,
    update_criterion: Criterion,
    update: Vec<Handle<'a>>,
) -> Result<(), CompatError> {
    let singleton = |list: &[Handle<'_>]| list.len() == 1;
    let criterion_change = if original_criterion == update_criterion {
        None
    } else if update_criterion == Criterion::Any
        || (update_criterion == Criterion::One && singleton(&original))
        || (update_criterion == Criterion::All && singleton(&original) && singleton(&update))
    {
        Some(ChangeKind::CombinedTypeExtended)
    } else {
        Some(ChangeKind::CombinedTypeChanged)
    };
    if let Some(kind) = criterion_change {
        ctx.add(kind);
        if kind == ChangeKind::CombinedTypeChanged {
            return Ok(());
        }
    }
    // A oneOf whose subschemas were added (a repeat included: a value matching it matches
    // twice), loosened or changed may now match a value twice.
    let mut one_of_changed = update_criterion == Criterion::One
        && (original_criterion != Criterion::One || original.len() < update.len());
    let every_update = update.clone();
    let original = dedup(original);
    let update = dedup(update);
    let all = update_criterion == Criterion::All;
    if original.len() < update.len() {
        ctx.add(if all {
            ChangeKind::ProductTypeExtended
        } else {
            ChangeKind::SumTypeExtended
        });
    } else if original.len() > update.len() {
        ctx.add(if all {
            ChangeKind::ProductTypeNarrowed
        } else {
            ChangeKind::SumTypeNarrowed
        });
    }
    let mut edges: Vec<(usize, usize, Vec<Difference>)> = Vec::new();
    for (i, &o) in original.iter().enumerate() {
        let segment = i.to_string();
        ctx.within_same_instance(&[original_criterion.keyword(), &segment], |ctx| {
            for (j, &u) in update.iter().enumerate() {
                let mut sub = ctx.sub();
                compare(&mut sub, o, u)?;
                if sub.is_compatible() {
                    edges.push((i, j, sub.differences));
                }
            }
            Ok(())
        })?;
    }
    let pairs: Vec<(usize, usize)> = edges.iter().map(|(i, j, _)| (*i, *j)).collect();
    let matching = maximum_matching(original.len(), update.len(), &pairs);
    for (i, j) in &matching {
        if let Some((_, _, differences)) = edges.iter().find(|(a, b, _)| a == i && b == j) {
            one_of_changed |= update_criterion == Criterion::One && !differences.is_empty();
            for difference in differences {
                ctx.push(difference.clone());
            }
        }
    }
    if matching.len() < original.len().min(update.len()) {
        ctx.add(ChangeKind::CombinedTypeSubschemasChanged);
    }
    if one_of_changed {
        check_one_of_exclusive(ctx, &every_update)?;
    }
    Ok(())
}

/// A `oneOf` that gained subschemas (or was `anyOf`, or a plain schema, before) rejects a
/// value that matches two of them: unless its subschemas are of pairwise distinct types, it
/// is [`ChangeKind::OneOfExtended`]. Confluent calls such a change compatible, so only
/// without its quirks.
fn check_one_of_exclusive(
    ctx: &mut Context<'_>,
    subschemas: &[Handle<'_>],
) -> Result<(), CompatError> {
    if ctx.confluent_quirks {
        return Ok(());
    }
    let pointer = ctx.pointer();
    let mut seen: Vec<u8> = Vec::new();
    for &subschema in subschemas {
        let (node, _) = ctx.update.classify(subschema, &pointer)?;
        let Some(classes) = value_classes(&node) else {
            ctx.add(ChangeKind::OneOfExtended);
            return Ok(());
        };
        if classes.iter().any(|class| seen.contains(class)) {
            ctx.add(ChangeKind::OneOfExtended);
            return Ok(());
        }
        seen.extend(classes);
    }
    Ok(())
}

/// The JSON types a schema accepts, as [`Node::class`] numbers with integers counted as
/// numbers; `None` when that is not known without looking deeper (anything, `not`,
/// combinations).
fn value_classes(node: &Node<'_>) -> Option<Vec<u8>> {
    let of_value = |value: &Value| match value {
        Value::String(_) => 2,
        Value::Number(_) => 3,
        Value::Bool(_) => 4,
        Value::Null => 5,
        Value::Object(_) => 6,
        Value::Array(_) => 7,
    };
    match node {
        Node::False => Some(Vec::new()),
        Node::String(_)
        | Node::Number { .. }
        | Node::Boolean
        | Node::Null
        | Node::Object(_)
        | Node::Array(_) => Some(vec![node.class()]),
        Node::Enum(values) => Some(values.iter().map(|value| of_value(value)).collect()),
        Node::Const(value) => Some(vec![of_value(value)]),
        Node::Empty | Node::Not(_) | Node::Combined { .. } => None,
    }
}

/// `handles` without repeats (equal part and equal JSON), in order; linear in their size.
fn dedup<'a>(handles: Vec<Handle<'a>>) -> Vec<Handle<'a>> {
    let mut seen = HashSet::new();
    handles
        .into_iter()
        .filter(|handle| seen.insert((handle.part, handle.value.to_string())))
        .collect()
}

impl<'a> Context<'a> {
    pub(crate) fn documents(&self) -> (&'a Document<'a>, &'a Document<'a>) {
        (self.original, self.update)
    }

    pub(crate) fn record(&mut self, kind: ChangeKind) {
        self.add(kind);
    }

    pub(crate) fn record_at(&mut self, segment: &str, kind: ChangeKind) {
        self.add_at(segment, kind);
    }

    pub(crate) fn enter<T>(
        &mut self,
        segments: &[&str],
        run: impl FnOnce(&mut Self) -> Result<T, CompatError>,
    ) -> Result<T, CompatError> {
        self.within(segments, run)
    }

    /// Compares in a trial context; returns whether the result is compatible, keeping its
    /// differences in either case.
    pub(crate) fn trial(
        &mut self,
        original: &'a Value,
        update: &'a Value,
    ) -> Result<bool, CompatError> {
        let mut sub = self.sub();
        compare(&mut sub, Handle::whole(original), Handle::whole(update))?;
        let compatible = sub.is_compatible();
        self.absorb(sub);
        Ok(compatible)
    }
}
