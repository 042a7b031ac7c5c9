//! Parsing of `#[event(..)]` attributes: the event's name, version and domain on the type,
//! JSON Schema keywords on fields. Every problem is recorded in the [`Ctxt`] and parsing goes
//! on, so one build reports every mistake.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, LitStr, Token, UnOp};

use crate::ctxt::Ctxt;

/// A value and the span of the key that set it, for errors that point at the keyword.
#[derive(Clone)]
pub struct Keyword<T> {
    pub value: T,
    pub key_span: Span,
    pub value_span: Span,
}

/// A number literal: integers stay exact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// A literal JSON value, for `default` and `example`.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonLiteral {
    String(String),
    Number(Number),
    Bool(bool),
}

/// `#[event("domain.entity.action", version = "1.0.0", domain = Path)]` on an event type.
#[derive(Default)]
pub struct EventAttr {
    pub name: Option<LitStr>,
    pub version: Option<LitStr>,
    pub domain: Option<syn::Path>,
    pub compat: Option<LitStr>,
    pub key: Option<Ident>,
    /// `data_subject = field`: whose personal data the event carries (its key encrypts the
    /// `pii` fields); a `player_id` field by default.
    pub data_subject: Option<Ident>,
    /// `binary` (or `binary = true`): derive the binary (rkyv) form too; JSON only without it.
    pub binary: Option<bool>,
    /// `read_json = false`: no derived `ReadJson`; the type implements it by hand.
    pub read_json: Option<bool>,
    /// `bound = "T: Trait"`: the where-clause of the generated impls instead of the inferred
    /// one (`T: EventSchema`, `T: Validate` per type parameter), as serde's `bound`.
    pub bound: Option<Vec<syn::WherePredicate>>,
    /// `validate_with = path`: a function `fn(&Self, &Location, &mut Vec<Violation>)` the
    /// generated validator calls before the fields' checks, for rules across fields.
    pub validate_with: Option<syn::Path>,
    /// A name was given but is not a string literal (already reported).
    pub malformed_name: bool,
}

/// Keys accepted by `#[event(..)]` on a type, listed in errors.
pub const CONTAINER_KEYS: &str = "a name literal, `version = \"MAJOR.MINOR.PATCH\"`, \
    `domain = path::ToDomain`, `compat = \"backward_transitive\"`, `key = field`, `data_subject = field`, `binary`, \
    `read_json = false`, `bound = \"T: Trait\"`, `validate_with = path::to_fn`";

/// Keys accepted by `#[event(..)]` on a field, listed in errors (from the keyword table).
pub fn field_keys() -> String {
    let names: Vec<&str> = event_keywords::FIELD_KEYWORDS
        .iter()
        .map(|k| k.attribute)
        .collect();
    names.join(", ")
}

/// The type a keyword's value is parsed into, by its `ValueKind`.
macro_rules! value_type {
    (Number) => {
        Number
    };
    (Count) => {
        u64
    };
    (Text) => {
        String
    };
    (Flag) => {
        bool
    };
    (Json) => {
        JsonLiteral
    };
}

/// One parsed keyword of a field, with its row of the table.
pub enum KeywordValue<'a> {
    /// A number.
    Number(&'a Keyword<Number>),
    /// A count.
    Count(&'a Keyword<u64>),
    /// A string.
    Text(&'a Keyword<String>),
    /// A flag.
    Flag(&'a Keyword<bool>),
    /// A JSON literal.
    Json(&'a Keyword<JsonLiteral>),
}

/// The field-keyword parser and accessors, generated from `event_keywords`' table.
macro_rules! define_field_keywords {
    ($($attribute:ident, $json:literal, $value:ident, $applies:ident, $check:ident;)*) => {
        /// JSON Schema keywords on one field.
        #[derive(Default, Clone)]
        pub struct FieldKeywords {
            $(pub $attribute: Option<Keyword<value_type!($value)>>,)*
        }

        impl FieldKeywords {
            pub fn is_empty(&self) -> bool {
                true $(&& self.$attribute.is_none())*
            }

            /// Every keyword given, in the table's order, with its row.
            pub fn entries(&self) -> Vec<(&'static event_keywords::FieldKeyword, KeywordValue<'_>)> {
                let mut entries = Vec::new();
                $(
                    if let (Some(value), Some(row)) = (&self.$attribute, event_keywords::field_keyword(stringify!($attribute))) {
                        entries.push((row, KeywordValue::$value(value)));
                    }
                )*
                entries
            }
        }

        fn set_keyword(cx: &mut Ctxt, k: &mut FieldKeywords, key: &Ident, value: Option<Expr>) {
            let name = key.to_string();
            match name.as_str() {
                $(stringify!($attribute) => {
                    let parsed = parse_value!($value)(cx, key, value);
                    put(cx, key, &mut k.$attribute, parsed);
                })*
                _ => cx.error_spanned_by(
                    key,
                    format!(
                        "unknown key `{name}` in #[event(..)] on a field; expected one of {}",
                        field_keys()
                    ),
                ),
            }
        }
    };
}

/// The parser of a keyword's value, by its `ValueKind`.
macro_rules! parse_value {
    (Number) => {
        number
    };
    (Count) => {
        count
    };
    (Text) => {
        string
    };
    (Flag) => {
        flag
    };
    (Json) => {
        json_literal
    };
}

event_keywords::with_field_keywords!(define_field_keywords);

/// Stores a parsed keyword, or reports that the field already has it.
fn put<T>(cx: &mut Ctxt, key: &Ident, slot: &mut Option<Keyword<T>>, parsed: Option<Keyword<T>>) {
    if let Some(parsed) = parsed {
        if slot.is_some() {
            cx.error_spanned_by(key, format!("`{key}` is given twice on this field"));
        } else {
            *slot = Some(parsed);
        }
    }
}

/// Parses the `#[event(..)]` attributes of a type. A second attribute is an error.
pub fn parse_event_attrs(cx: &mut Ctxt, attrs: &[syn::Attribute]) -> Option<EventAttr> {
    let mut found: Option<EventAttr> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("event")) {
        if found.is_some() {
            cx.error_spanned_by(
                attr,
                "duplicate #[event(..)] attribute: give the name, version and domain in one #[event(\"domain.entity.action\", version = \"1.0.0\")]",
            );
            continue;
        }
        let syn::Meta::List(list) = &attr.meta else {
            cx.error_spanned_by(
                attr,
                "expected #[event(\"domain.entity.action\")]: the event name is a string literal in parentheses",
            );
            found = Some(EventAttr::default());
            continue;
        };
        let mut parsed = EventAttr::default();
        let result =
            list.parse_args_with(|input: ParseStream| parse_container_args(cx, input, &mut parsed));
        if let Err(error) = result {
            cx.syn_error(error);
        }
        found = Some(parsed);
    }
    found
}

fn parse_container_args(cx: &mut Ctxt, input: ParseStream, out: &mut EventAttr) -> syn::Result<()> {
    while !input.is_empty() {
        if input.peek(LitStr) {
            let name: LitStr = input.parse()?;
            if out.name.is_some() {
                cx.error_spanned_by(
                    &name,
                    "an event has one name; remove this second name literal",
                );
            } else {
                out.name = Some(name);
            }
        } else if input.peek(Ident::peek_any)
            && !input.peek2(Token![=])
            && input
                .fork()
                .call(Ident::parse_any)
                .is_ok_and(|key| key == "binary")
        {
            // The bare flag: `#[event("a.b.c", binary)]`.
            let key = input.call(Ident::parse_any)?;
            set_once(cx, &key, &mut out.binary, true);
        } else if input.peek(Ident::peek_any) && input.peek2(Token![=]) {
            let key = input.call(Ident::parse_any)?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "version" => {
                    let value: Expr = input.parse()?;
                    match value {
                        Expr::Lit(ExprLit {
                            lit: Lit::Str(s), ..
                        }) => set_once(cx, &key, &mut out.version, s),
                        other => cx.error_spanned_by(
                            other,
                            "`version` takes a string literal, e.g. version = \"1.2.0\"",
                        ),
                    }
                }
                "domain" => {
                    let path: syn::Path = input.parse()?;
                    set_once(cx, &key, &mut out.domain, path);
                }
                "binary" | "read_json" => {
                    let value: Expr = input.parse()?;
                    let slot = if key == "binary" {
                        &mut out.binary
                    } else {
                        &mut out.read_json
                    };
                    match value {
                        Expr::Lit(ExprLit {
                            lit: Lit::Bool(b), ..
                        }) => set_once(cx, &key, slot, b.value),
                        other => {
                            cx.error_spanned_by(other, format!("`{key}` takes `true` or `false`"))
                        }
                    }
                }
                "key" => {
                    let field: Ident = input.call(Ident::parse_any)?;
                    set_once(cx, &key, &mut out.key, field);
                }
                "data_subject" => {
                    let field: Ident = input.call(Ident::parse_any)?;
                    set_once(cx, &key, &mut out.data_subject, field);
                }
                "validate_with" => {
                    let path: syn::Path = input.parse()?;
                    set_once(cx, &key, &mut out.validate_with, path);
                }
                "bound" => {
                    let value: Expr = input.parse()?;
                    match value {
                        Expr::Lit(ExprLit {
                            lit: Lit::Str(s), ..
                        }) => {
                            let parsed = s.parse_with(
                                syn::punctuated::Punctuated::<syn::WherePredicate, Token![,]>::parse_terminated,
                            );
                            match parsed {
                                Ok(predicates) => {
                                    set_once(cx, &key, &mut out.bound, predicates.into_iter().collect())
                                }
                                Err(error) => cx.error_spanned_by(
                                    &s,
                                    format!("`bound` is not a where-clause ({error}), e.g. bound = \"T: KafkaEvent\""),
                                ),
                            }
                        }
                        other => cx.error_spanned_by(
                            other,
                            "`bound` takes a string literal, e.g. bound = \"T: KafkaEvent\"",
                        ),
                    }
                }
                "compat" => {
                    let value: Expr = input.parse()?;
                    match value {
                        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => set_once(cx, &key, &mut out.compat, s),
                        other => cx.error_spanned_by(
                            other,
                            "`compat` takes a string literal, e.g. compat = \"backward_transitive\"",
                        ),
                    }
                }
                _ => {
                    let _: Expr = input.parse()?;
                    cx.error_spanned_by(
                        &key,
                        format!("unknown key `{key}` in #[event(..)] on a type; expected {CONTAINER_KEYS}"),
                    );
                }
            }
        } else {
            let value: Expr = input.parse()?;
            out.malformed_name = true;
            cx.error_spanned_by(
                value,
                "the event name must be a string literal, e.g. #[event(\"combat.session.start\")]",
            );
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(())
}

fn set_once<T>(cx: &mut Ctxt, key: &Ident, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(key, format!("`{key}` is given twice"));
    } else {
        *slot = Some(value);
    }
}

/// Parses the `#[event(..)]` keywords of a field.
pub fn parse_field_keywords(cx: &mut Ctxt, attrs: &[syn::Attribute]) -> FieldKeywords {
    let mut keywords = FieldKeywords::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("event")) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident().cloned() else {
                return Err(meta.error(format!("expected one of {}", field_keys())));
            };
            let value = if meta.input.peek(Token![=]) {
                Some(meta.value()?.parse::<Expr>()?)
            } else {
                None
            };
            set_keyword(cx, &mut keywords, &key, value);
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
    keywords
}

fn required_value(cx: &mut Ctxt, key: &Ident, value: Option<Expr>, example: &str) -> Option<Expr> {
    if value.is_none() {
        cx.error_spanned_by(
            key,
            format!("`{key}` needs a value, e.g. {key} = {example}"),
        );
    }
    value
}

fn keyword<T>(key: &Ident, value_span: Span, value: T) -> Keyword<T> {
    Keyword {
        value,
        key_span: key.span(),
        value_span,
    }
}

/// A literal, with a leading `-` folded in for numbers.
fn literal(expr: &Expr) -> Option<(Lit, bool)> {
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => Some((lit.clone(), false)),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            Expr::Lit(ExprLit { lit, .. }) => Some((lit.clone(), true)),
            _ => None,
        },
        Expr::Group(group) => literal(&group.expr),
        _ => None,
    }
}

fn number_of(lit: &Lit, negative: bool) -> Option<Number> {
    let sign = if negative { -1 } else { 1 };
    match lit {
        Lit::Int(int) => int
            .base10_parse::<i128>()
            .ok()
            .map(|i| Number::Int(sign * i)),
        Lit::Float(float) => float
            .base10_parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| Number::Float(sign as f64 * f)),
        _ => None,
    }
}

fn number(cx: &mut Ctxt, key: &Ident, value: Option<Expr>) -> Option<Keyword<Number>> {
    let expr = required_value(cx, key, value, "10")?;
    match literal(&expr).and_then(|(lit, negative)| number_of(&lit, negative)) {
        Some(n) => Some(keyword(key, expr.span(), n)),
        None => {
            cx.error_spanned_by(
                &expr,
                format!("`{key}` takes a number literal, e.g. {key} = 10"),
            );
            None
        }
    }
}

fn count(cx: &mut Ctxt, key: &Ident, value: Option<Expr>) -> Option<Keyword<u64>> {
    let expr = required_value(cx, key, value, "10")?;
    match literal(&expr) {
        Some((Lit::Int(int), false)) => match int.base10_parse::<u64>() {
            Ok(n) => Some(keyword(key, expr.span(), n)),
            Err(_) => {
                cx.error_spanned_by(&expr, format!("`{key}` must fit in a u64"));
                None
            }
        },
        _ => {
            cx.error_spanned_by(
                &expr,
                format!("`{key}` takes a non-negative integer literal, e.g. {key} = 10"),
            );
            None
        }
    }
}

fn string(cx: &mut Ctxt, key: &Ident, value: Option<Expr>) -> Option<Keyword<String>> {
    let expr = required_value(cx, key, value, "\"...\"")?;
    match literal(&expr) {
        Some((Lit::Str(s), false)) => Some(keyword(key, s.span(), s.value())),
        _ => {
            cx.error_spanned_by(&expr, format!("`{key}` takes a string literal"));
            None
        }
    }
}

fn flag(cx: &mut Ctxt, key: &Ident, value: Option<Expr>) -> Option<Keyword<bool>> {
    let Some(expr) = value else {
        return Some(keyword(key, key.span(), true));
    };
    match literal(&expr) {
        Some((Lit::Bool(b), false)) => Some(keyword(key, expr.span(), b.value)),
        _ => {
            cx.error_spanned_by(
                &expr,
                format!("`{key}` is a flag: write `{key}` or `{key} = true`"),
            );
            None
        }
    }
}

fn json_literal(cx: &mut Ctxt, key: &Ident, value: Option<Expr>) -> Option<Keyword<JsonLiteral>> {
    let expr = required_value(cx, key, value, "\"text\"")?;
    let parsed = literal(&expr).and_then(|(lit, negative)| match (&lit, negative) {
        (Lit::Str(s), false) => Some(JsonLiteral::String(s.value())),
        (Lit::Bool(b), false) => Some(JsonLiteral::Bool(b.value)),
        _ => number_of(&lit, negative).map(JsonLiteral::Number),
    });
    match parsed {
        Some(value) => Some(keyword(key, expr.span(), value)),
        None => {
            cx.error_spanned_by(
                &expr,
                format!("`{key}` takes a string, number or boolean literal"),
            );
            None
        }
    }
}

/// The doc comment of an item, lines joined with `\n` and trimmed; `None` if empty.
pub fn doc_comment(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_owned()
        })
        .collect();
    let doc = lines.join("\n").trim().to_owned();
    (!doc.is_empty()).then_some(doc)
}
