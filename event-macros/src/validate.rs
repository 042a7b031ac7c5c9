//! The rules of a derive input that need no type information: the event name, version and
//! domain, the shape of the type, and the consistency of field keywords. Keyword-vs-type rules
//! that need types are checked by the compiler on generated code (see `expand`).

use syn::LitStr;

use crate::ast::{Container, Data, Field, Style};
use crate::attr::{FieldKeywords, Keyword, Number};
use crate::ctxt::Ctxt;

const NAME_FORM: &str = "expected `domain.entity.action`, each segment [a-z][a-z0-9_]* (a lowercase letter, then lowercase letters, digits or _), e.g. \"combat.session.start\"";

/// A validated event name.
pub struct EventName {
    pub full: String,
    pub domain: String,
    pub entity: String,
    pub action: String,
}

/// A validated semantic version.
pub struct Version {
    pub text: String,
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

/// Where an event's partition key comes from.
pub enum KeyChoice {
    /// `key = field`, with the field's wire name.
    Field(syn::Ident, String),
    /// The first of the domain's `key_fields` the event has, among these serialised fields
    /// (each with its wire name).
    DomainDefault(Vec<(syn::Ident, String)>),
}

/// What the KafkaEvent expansion needs, once every rule holds.
pub struct EventSpec {
    pub name: EventName,
    pub version: Version,
    /// `domain = path`, or `None` for the type named after the first segment.
    pub domain_path: Option<syn::Path>,
    /// The event name literal, where a domain found by convention is reported.
    pub name_span: proc_macro2::Span,
    /// The `CompatMode` variant named by `compat = ".."`, if given.
    pub compat: Option<&'static str>,
    /// Where the partition key comes from.
    pub key: KeyChoice,
    /// The wire name of the field naming the data subject: `data_subject = field`, else a
    /// `player_id` field.
    pub data_subject: Option<String>,
}

/// The data subject: the field named by `data_subject = ..` (which must be serialised), else a
/// serialised `player_id` field, else none. `Err` means an error was recorded.
fn data_subject(
    cx: &mut Ctxt,
    container: &Container,
    named: Option<&syn::Ident>,
) -> Result<Option<String>, ()> {
    let fields: Vec<(&syn::Ident, &str)> = match &container.data {
        Data::Struct(Style::Named, fields) => fields
            .iter()
            .filter(|f| f.in_schema())
            .filter_map(|f| Some((f.original.ident.as_ref()?, f.name.as_str())))
            .collect(),
        _ => Vec::new(),
    };
    let wire_name = |wanted: &syn::Ident| {
        fields
            .iter()
            .find(|(ident, _)| *ident == wanted)
            .map(|(_, name)| (*name).to_owned())
    };
    match named {
        Some(field) if wire_name(field).is_some() => Ok(wire_name(field)),
        Some(field) => {
            let names: Vec<String> = fields.iter().map(|(ident, _)| ident.to_string()).collect();
            cx.error_spanned_by(
                field,
                format!("`data_subject = {field}` names no serialised field of this event; its serialised fields are {}", names.join(", ")),
            );
            Err(())
        }
        None => Ok(fields
            .iter()
            .find(|(ident, _)| *ident == "player_id")
            .map(|(_, name)| (*name).to_owned())),
    }
}

/// The partition key: the field named by `key = ..`, else the domain's default among the
/// serialised fields. `None` means an error was recorded.
fn partition_key(
    cx: &mut Ctxt,
    container: &Container,
    named: Option<&syn::Ident>,
) -> Option<KeyChoice> {
    let Data::Struct(Style::Named, fields) = &container.data else {
        return Some(KeyChoice::DomainDefault(Vec::new()));
    };
    let serialised: Vec<(syn::Ident, String)> = fields
        .iter()
        .filter(|f| f.in_schema())
        .filter_map(|f| Some((f.original.ident.clone()?, f.name.clone())))
        .collect();
    match named {
        Some(key) => {
            if let Some((_, wire)) = serialised.iter().find(|(ident, _)| ident == key) {
                Some(KeyChoice::Field(key.clone(), wire.clone()))
            } else {
                let names: Vec<String> = serialised
                    .iter()
                    .map(|(ident, _)| ident.to_string())
                    .collect();
                cx.error_spanned_by(
                    key,
                    format!("`key = {key}` names no serialised field of this event; its serialised fields are {}", names.join(", ")),
                );
                None
            }
        }
        None => Some(KeyChoice::DomainDefault(serialised)),
    }
}

/// The compatibility modes, by their attribute spelling, with their `CompatMode` variant.
const COMPAT_MODES: [(&str, &str); 7] = [
    ("backward", "Backward"),
    ("forward", "Forward"),
    ("full", "Full"),
    ("backward_transitive", "BackwardTransitive"),
    ("forward_transitive", "ForwardTransitive"),
    ("full_transitive", "FullTransitive"),
    ("none", "None"),
];

fn compat_mode(cx: &mut Ctxt, lit: &LitStr) -> Option<&'static str> {
    let value = lit.value().to_ascii_lowercase();
    let found = COMPAT_MODES
        .iter()
        .find(|(name, _)| *name == value)
        .map(|(_, variant)| *variant);
    if found.is_none() {
        let names: Vec<&str> = COMPAT_MODES.iter().map(|(name, _)| *name).collect();
        cx.error_spanned_by(
            lit,
            format!(
                "unknown compatibility mode `{}`; expected one of {}",
                lit.value(),
                names.join(", ")
            ),
        );
    }
    found
}

fn is_valid_segment(segment: &str) -> bool {
    let mut chars = segment.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub fn event_name(cx: &mut Ctxt, lit: &LitStr) -> Option<EventName> {
    let full = lit.value();
    let segments: Vec<&str> = full.split('.').collect();
    if segments.len() != 3 {
        cx.error_spanned_by(
            lit,
            format!(
                "event name `{full}` has {} segment(s); {NAME_FORM}",
                segments.len()
            ),
        );
        return None;
    }
    let mut valid = true;
    for (role, segment) in ["domain", "entity", "action"].iter().zip(&segments) {
        if !is_valid_segment(segment) {
            cx.error_spanned_by(
                lit,
                format!("the {role} segment `{segment}` of event name `{full}` is not valid; {NAME_FORM}"),
            );
            valid = false;
        }
    }
    if !valid {
        return None;
    }
    let (domain, entity, action) = (
        segments[0].to_owned(),
        segments[1].to_owned(),
        segments[2].to_owned(),
    );
    Some(EventName {
        domain,
        entity,
        action,
        full,
    })
}

pub fn version(cx: &mut Ctxt, lit: Option<&LitStr>) -> Option<Version> {
    let Some(lit) = lit else {
        return Some(Version {
            text: "1.0.0".to_owned(),
            major: 1,
            minor: 0,
            patch: 0,
        });
    };
    let text = lit.value();
    match semver::Version::parse(&text) {
        Ok(parsed) if parsed.pre.is_empty() && parsed.build.is_empty() => Some(Version {
            major: parsed.major,
            minor: parsed.minor,
            patch: parsed.patch,
            text,
        }),
        Ok(_) => {
            cx.error_spanned_by(
                lit,
                format!("version `{text}` has a pre-release or build part; an event's schema version is MAJOR.MINOR.PATCH only, e.g. \"1.0.0\""),
            );
            None
        }
        Err(error) => {
            cx.error_spanned_by(
                lit,
                format!("version `{text}` is not semantic versioning ({error}): expected MAJOR.MINOR.PATCH, numbers without leading zeros, e.g. \"1.0.0\""),
            );
            None
        }
    }
}

/// Checks a `#[derive(KafkaEvent)]` input and extracts its event attributes.
pub fn event(cx: &mut Ctxt, container: &Container) -> Option<EventSpec> {
    if !matches!(container.data, Data::Struct(Style::Named, _)) {
        cx.error_spanned_by(
            container.ident,
            "an event is a struct with named fields: #[derive(KafkaEvent)] does not apply here (use #[derive(EventSchema)] for types inside events)",
        );
    }
    if container.serde.transparent {
        cx.error_spanned_by(
            container.ident,
            "an event cannot be #[serde(transparent)]: its data must be a JSON object",
        );
    }
    let Some(attr) = &container.event else {
        cx.error_spanned_by(
            container.ident,
            "missing #[event(\"domain.entity.action\")]: name the event, e.g. #[event(\"combat.session.start\", version = \"1.0.0\")]",
        );
        return None;
    };
    let Some(name_lit) = &attr.name else {
        if attr.malformed_name {
            return None; // already reported at the malformed name
        }
        cx.error_spanned_by(
            container.ident,
            "#[event(..)] has no event name: add it as the first argument, e.g. #[event(\"combat.session.start\")]",
        );
        return None;
    };
    let name = event_name(cx, name_lit);
    let version = version(cx, attr.version.as_ref());
    let compat = match &attr.compat {
        Some(lit) => Some(compat_mode(cx, lit)?),
        None => None,
    };
    let key = partition_key(cx, container, attr.key.as_ref());
    let subject = data_subject(cx, container, attr.data_subject.as_ref());
    Some(EventSpec {
        name: name?,
        version: version?,
        domain_path: attr.domain.clone(),
        name_span: name_lit.span(),
        compat,
        key: key?,
        data_subject: subject.ok()?,
    })
}

/// Checks rules common to both derives.
pub fn container(cx: &mut Ctxt, container: &Container, is_event: bool) {
    if !is_event {
        if let Some(attr) = &container.event {
            if let Some(name) = &attr.name {
                cx.error_spanned_by(
                    name,
                    "an event name belongs on #[derive(KafkaEvent)]: #[derive(EventSchema)] types have no name of their own",
                );
            }
        }
    }
    let binary = container.event.as_ref().and_then(|e| e.binary) == Some(true);
    if binary && !container.generics.params.is_empty() {
        cx.error_spanned_by(
            container.generics,
            "`binary` is derived for types without type or lifetime parameters only: remove `binary`, or implement `event_core::binary::Binary` by hand",
        );
    }
    match &container.data {
        Data::Struct(style, fields) => {
            if container.serde.transparent {
                let kept = fields.iter().filter(|f| f.in_schema()).count();
                if kept != 1 {
                    cx.error_spanned_by(
                        container.ident,
                        "#[serde(transparent)] needs exactly one field that is not skipped",
                    );
                }
            }
            if container.serde.tag.is_some() && *style == Style::Named {
                cx.error_spanned_by(
                    container.ident,
                    "#[serde(tag = ..)] on a struct is not supported: put the type in an internally tagged enum instead",
                );
            }
            fields.iter().for_each(|field| field_rules(cx, field));
        }
        Data::Enum(variants) => {
            if container.serde.content.is_some() && container.serde.tag.is_none() {
                cx.error_spanned_by(
                    container.ident,
                    "#[serde(content = ..)] needs #[serde(tag = ..)] too",
                );
            }
            for variant in variants {
                variant
                    .fields
                    .iter()
                    .for_each(|field| field_rules(cx, field));
            }
        }
    }
}

fn field_rules(cx: &mut Ctxt, field: &Field) {
    let k = &field.keywords;
    if k.is_empty() {
        return;
    }
    if !field.in_schema() || field.serde.flatten {
        cx.error_spanned_by(
            field.original,
            "schema keywords have no effect on a skipped or flattened field: remove them or put them on the fields of the inner type",
        );
        return;
    }
    ordered(cx, &k.minimum, &k.maximum, false);
    ordered(cx, &k.exclusive_minimum, &k.exclusive_maximum, true);
    ordered(cx, &k.minimum, &k.exclusive_maximum, true);
    ordered(cx, &k.exclusive_minimum, &k.maximum, true);
    ordered_counts(cx, &k.min_length, &k.max_length);
    ordered_counts(cx, &k.min_items, &k.max_items);
    if let Some(multiple) = &k.multiple_of {
        if multiple.value.as_f64() <= 0.0 {
            cx.error_at(multiple.value_span, "`multiple_of` must be greater than 0");
        }
    }
    if let Some(pattern) = &k.pattern {
        if let Err(error) = regex_syntax::Parser::new().parse(&pattern.value) {
            cx.error_at(
                pattern.value_span,
                format!("`pattern` is not a valid regular expression: {error}"),
            );
        }
    }
    if let Some(format) = &k.format {
        if !FORMATS.contains(&format.value.as_str()) {
            cx.error_at(
                format.value_span,
                format!(
                    "unknown format `{}`; the Draft 7 formats are {}",
                    format.value,
                    FORMATS.join(", ")
                ),
            );
        }
    }
    integer_range(cx, field, k);
}

/// The `format` values of Draft 7, plus `uuid` (which Draft 2019-09 added and validators of
/// Draft 7 commonly know).
const FORMATS: [&str; 18] = [
    "date-time",
    "date",
    "time",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "uuid",
];

fn ordered(
    cx: &mut Ctxt,
    low: &Option<Keyword<Number>>,
    high: &Option<Keyword<Number>>,
    strict: bool,
) {
    if let (Some(low), Some(high)) = (low, high) {
        let (l, h) = (low.value.as_f64(), high.value.as_f64());
        if l > h || (strict && l == h) {
            cx.error_at(
                high.value_span,
                format!("this upper bound ({h}) is below the lower bound ({l}): no value could be valid"),
            );
        }
    }
}

fn ordered_counts(cx: &mut Ctxt, low: &Option<Keyword<u64>>, high: &Option<Keyword<u64>>) {
    if let (Some(low), Some(high)) = (low, high) {
        if low.value > high.value {
            cx.error_at(
                high.value_span,
                format!(
                    "this maximum ({}) is below the minimum ({}): no value could be valid",
                    high.value, low.value
                ),
            );
        }
    }
}

/// The range of a primitive integer type written in the source (also inside `Option<..>`).
fn integer_range(cx: &mut Ctxt, field: &Field, k: &FieldKeywords) {
    let Some((name, min, max)) = primitive_integer(field.ty) else {
        return;
    };
    let bounds = [
        &k.minimum,
        &k.maximum,
        &k.exclusive_minimum,
        &k.exclusive_maximum,
    ];
    for bound in bounds.into_iter().flatten() {
        let outside = match bound.value {
            Number::Int(i) => i < min || i > max,
            Number::Float(f) => f < min as f64 || f > max as f64,
        };
        if outside {
            cx.error_at(
                bound.value_span,
                format!("this bound is outside the range of `{name}` ({min}..={max})"),
            );
        }
    }
}

fn primitive_integer(ty: &syn::Type) -> Option<(String, i128, i128)> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident == "Option" {
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
            if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                return primitive_integer(inner);
            }
        }
        return None;
    }
    if path.path.segments.len() != 1 || !last.arguments.is_empty() {
        return None;
    }
    let name = last.ident.to_string();
    let (min, max): (i128, i128) = match name.as_str() {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    };
    Some((name, min, max))
}
