//! Patterns of the shape `^ item… $` whose items are ASCII literals, ASCII classes and their
//! repetitions, ending perhaps in an alternation of literals or classes (`^[0-9]+(ms|s|m|h|d)$`).
//! When every repetition's class shares no byte with what can follow it, taking as many bytes
//! as it allows is the only way to match, so one pass without backtracking decides: the same
//! answer as any regex engine, at a set lookup per byte.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// A set of ASCII bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Bytes(u128);

impl Bytes {
    fn contains(self, byte: u8) -> bool {
        byte < 128 && self.0 & (1 << byte) != 0
    }

    fn with(self, byte: u8) -> Bytes {
        Bytes(self.0 | 1 << byte)
    }

    fn union(self, other: Bytes) -> Bytes {
        Bytes(self.0 | other.0)
    }

    fn is_disjoint(self, other: Bytes) -> bool {
        self.0 & other.0 == 0
    }
}

/// One step of the pattern.
#[derive(Debug, Clone)]
enum Item {
    /// These bytes, in order.
    Literal(Vec<u8>),
    /// `min` to `max` bytes of the set.
    Repeat { set: Bytes, min: u32, max: u32 },
    /// The rest of the text is one of these (a literal, or one byte of a set).
    Either(Vec<Branch>),
}

/// An [`Item`] as the match runs it.
#[derive(Debug, Clone)]
enum Step {
    Literal(Vec<u8>),
    /// `min` to `max` bytes of the set, as a table: one load per byte.
    Run {
        table: Box<[bool; 256]>,
        min: usize,
        max: usize,
    },
    Either(Vec<Branch>),
}

impl Step {
    fn of(item: Item) -> Step {
        match item {
            Item::Literal(bytes) => Step::Literal(bytes),
            Item::Repeat { set, min, max } => Step::Run {
                table: Box::new(std::array::from_fn(|byte| set.contains(byte as u8))),
                min: min as usize,
                max: usize::try_from(max).unwrap_or(usize::MAX),
            },
            Item::Either(branches) => Step::Either(branches),
        }
    }
}

#[derive(Debug, Clone)]
enum Branch {
    Literal(Vec<u8>),
    Byte(Bytes),
}

/// An anchored pattern matched in one pass.
#[derive(Debug, Clone)]
pub struct Anchored {
    steps: Vec<Step>,
}

/// The class as a set of ASCII bytes, when it has only ASCII members.
fn ascii_class(class: &Class) -> Option<Bytes> {
    let mut set = Bytes::default();
    let ranges: Vec<(u32, u32)> = match class {
        Class::Unicode(class) => class
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
        Class::Bytes(class) => class
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
    };
    for (start, end) in ranges {
        if end >= 128 {
            return None;
        }
        for byte in start..=end {
            set = set.with(byte as u8);
        }
    }
    Some(set)
}

fn ascii_literal(hir: &Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(literal) if literal.0.is_ascii() => Some(literal.0.to_vec()),
        _ => None,
    }
}

/// The item of one element of the concatenation.
fn item(hir: &Hir) -> Option<Item> {
    match hir.kind() {
        HirKind::Capture(capture) => item(&capture.sub),
        HirKind::Literal(_) => ascii_literal(hir).map(Item::Literal),
        HirKind::Class(class) => ascii_class(class).map(|set| Item::Repeat {
            set,
            min: 1,
            max: 1,
        }),
        HirKind::Repetition(repetition) => {
            let set = match repetition.sub.kind() {
                HirKind::Class(class) => ascii_class(class)?,
                HirKind::Literal(_) => match ascii_literal(&repetition.sub)?.as_slice() {
                    [byte] => Bytes::default().with(*byte),
                    _ => return None,
                },
                _ => return None,
            };
            Some(Item::Repeat {
                set,
                min: repetition.min,
                max: repetition.max.unwrap_or(u32::MAX),
            })
        }
        HirKind::Alternation(branches) => branches
            .iter()
            .map(|branch| match branch.kind() {
                HirKind::Literal(_) => ascii_literal(branch).map(Branch::Literal),
                HirKind::Class(class) => ascii_class(class).map(Branch::Byte),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(Item::Either),
        _ => None,
    }
}

/// The bytes the items from `index` on can start with, and whether they can match nothing.
fn first_bytes(items: &[Item]) -> Bytes {
    let mut set = Bytes::default();
    for item in items {
        match item {
            Item::Literal(bytes) => return bytes.first().map_or(set, |&b| set.with(b)),
            Item::Repeat { set: own, min, .. } => {
                set = set.union(*own);
                if *min > 0 {
                    return set;
                }
            }
            Item::Either(branches) => {
                for branch in branches {
                    set = match branch {
                        Branch::Literal(bytes) => bytes.first().map_or(set, |&b| set.with(b)),
                        Branch::Byte(bytes) => set.union(*bytes),
                    };
                }
                return set;
            }
        }
    }
    set
}

impl Anchored {
    /// The one-pass form of `pattern`, or `None` when it has another shape or a repetition
    /// whose class overlaps what follows (then backtracking could matter).
    pub fn new(pattern: &str) -> Option<Anchored> {
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        let HirKind::Concat(parts) = hir.kind() else {
            return None;
        };
        let (first, rest) = parts.split_first()?;
        let (last, middle) = rest.split_last()?;
        if first.kind() != &HirKind::Look(Look::Start) || last.kind() != &HirKind::Look(Look::End) {
            return None;
        }
        let items = middle.iter().map(item).collect::<Option<Vec<_>>>()?;
        for (index, item) in items.iter().enumerate() {
            match item {
                Item::Either(_) if index + 1 != items.len() => return None,
                Item::Repeat { set, min, max }
                    if min != max && !set.is_disjoint(first_bytes(&items[index + 1..])) =>
                {
                    return None
                }
                _ => {}
            }
        }
        Some(Anchored {
            steps: items.into_iter().map(Step::of).collect(),
        })
    }

    /// Whether the whole of `text` matches.
    pub fn is_match(&self, text: &[u8]) -> bool {
        let mut at = 0;
        for step in &self.steps {
            match step {
                Step::Literal(bytes) => {
                    if !text[at..].starts_with(bytes) {
                        return false;
                    }
                    at += bytes.len();
                }
                Step::Run { table, min, max } => {
                    let count = text[at..]
                        .iter()
                        .take(*max)
                        .take_while(|&&byte| table[usize::from(byte)])
                        .count();
                    if count < *min {
                        return false;
                    }
                    at += count;
                }
                Step::Either(branches) => {
                    let rest = &text[at..];
                    return branches.iter().any(|branch| match branch {
                        Branch::Literal(bytes) => rest == bytes.as_slice(),
                        Branch::Byte(set) => rest.len() == 1 && set.contains(rest[0]),
                    });
                }
            }
        }
        at == text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_shapes_are_taken_on_and_others_left() {
        for pattern in [
            "^[a-z0-9_.]+$",
            "^[0-9]+(ms|s|m|h|d)$",
            "^[A-Z0-9]{2,5}$",
            "^[a-z][a-z0-9_]*$",
            "^[0-9]+\\.[0-9]+\\.[0-9]+$",
            "^v[0-9]{1,3}$",
        ] {
            assert!(Anchored::new(pattern).is_some(), "{pattern}");
        }
        for pattern in [
            "[a-z]+",
            "^[a-z]*[a-z0-9]$",
            "^\\w+$",
            "^a|b$",
            "^(ab)+$",
            "^é$",
            // Unicode case folding adds ſ and the Kelvin sign to [a-z].
            "^(?i)[a-z]$",
        ] {
            assert!(Anchored::new(pattern).is_none(), "{pattern}");
        }
    }

    /// Every text of up to five characters from an alphabet that meets each pattern's edges.
    #[test]
    fn answers_as_the_regex_crate_on_every_short_text() {
        let alphabet = [
            'a', 'z', 'A', '0', '9', '.', '_', '-', 'm', 's', 'd', 'é', '\n',
        ];
        let mut texts = vec![String::new()];
        let mut layer = vec![String::new()];
        for _ in 0..5 {
            layer = layer
                .iter()
                .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                .collect();
            texts.extend(layer.iter().cloned());
        }
        for pattern in [
            "^[a-z0-9_.]+$",
            "^[0-9]+(ms|s|m|h|d)$",
            "^[A-Z0-9]{2,3}$",
            "^[a-z][a-z0-9_]*$",
            "^[0-9]+\\.[0-9]+$",
            "^a?[0-9]{0,2}(ms|z)$",
        ] {
            let anchored = Anchored::new(pattern).expect(pattern);
            let regex = regex::Regex::new(pattern).unwrap();
            for text in &texts {
                assert_eq!(
                    anchored.is_match(text.as_bytes()),
                    regex.is_match(text),
                    "{pattern} on {text:?}"
                );
            }
        }
    }
}
