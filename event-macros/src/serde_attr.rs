//! Reading the `#[serde(..)]` attributes that change what serde writes, so the schema
//! describes exactly that. Attributes that do not change the JSON form (`alias`, `bound`,
//! `borrow` …) are skipped; malformed ones are left to serde, which reports them itself.

use syn::meta::ParseNestedMeta;
use syn::{LitStr, Token};

use crate::case::RenameRule;
use crate::ctxt::Ctxt;

#[derive(Default)]
pub struct SerdeContainer {
    pub rename_all: Option<RenameRule>,
    pub rename_all_fields: Option<RenameRule>,
    pub tag: Option<String>,
    pub content: Option<String>,
    pub untagged: bool,
    pub transparent: bool,
    pub default: bool,
}

#[derive(Default)]
pub struct SerdeField {
    pub rename: Option<String>,
    pub skip: bool,
    pub skip_serializing: bool,
    /// The predicate of `skip_serializing_if = "path"`.
    pub skip_serializing_if: Option<syn::ExprPath>,
    pub default: bool,
    /// The function of `default = "path"`.
    pub default_path: Option<syn::ExprPath>,
    /// `skip_deserializing` (or `skip`): read as its default, its key left unknown.
    pub skip_deserializing: bool,
    pub flatten: bool,
}

#[derive(Default)]
pub struct SerdeVariant {
    pub rename: Option<String>,
    pub skip: bool,
    /// `skip_deserializing` (or `skip`, `other`): the reader never matches its name.
    pub skip_deserializing: bool,
    pub rename_all: Option<RenameRule>,
}

fn serde_attrs(attrs: &[syn::Attribute]) -> impl Iterator<Item = &syn::Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("serde"))
}

/// Skips the value of a key we do not model: `= expr`, `(..)` or nothing.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

/// A name given as `= "x"` or as `(serialize = "x", deserialize = "y")`; the serialized one
/// is what appears on the wire. Different names for the two directions are reported.
fn wire_name(cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<String>> {
    if meta.input.peek(Token![=]) {
        let s: LitStr = meta.value()?.parse()?;
        return Ok(Some(s.value()));
    }
    let mut serialize: Option<LitStr> = None;
    let mut deserialize: Option<LitStr> = None;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("serialize") {
            serialize = Some(inner.value()?.parse()?);
        } else if inner.path.is_ident("deserialize") {
            deserialize = Some(inner.value()?.parse()?);
        } else {
            skip_value(&inner)?;
        }
        Ok(())
    })?;
    if let (Some(s), Some(d)) = (&serialize, &deserialize) {
        if s.value() != d.value() {
            cx.error_spanned_by(
                d,
                "different names for serializing and deserializing: one JSON Schema cannot describe both; use one name",
            );
        }
    }
    Ok(serialize.or(deserialize).map(|s| s.value()))
}

fn rename_rule(cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<RenameRule>> {
    Ok(wire_name(cx, meta)?.and_then(|name| RenameRule::from_name(&name)))
}

fn unsupported(cx: &mut Ctxt, meta: &ParseNestedMeta, what: &str) -> syn::Result<()> {
    cx.error_spanned_by(&meta.path, what);
    skip_value(meta)
}

const CONVERTED: &str =
    "kafka-events cannot describe a type that serde writes through another type \
    (`from`, `try_from`, `into`, `remote`): derive the schema on the type that is written instead";
const WITH: &str = "kafka-events cannot see what a custom serde function writes \
    (`with`, `serialize_with`, `deserialize_with`): use a type whose Serialize impl is derived, or a newtype with its own EventSchema impl";

pub fn container(cx: &mut Ctxt, attrs: &[syn::Attribute]) -> SerdeContainer {
    let mut out = SerdeContainer::default();
    for attr in serde_attrs(attrs) {
        let _ = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                "rename_all" => out.rename_all = rename_rule(cx, &meta)?,
                "rename_all_fields" => out.rename_all_fields = rename_rule(cx, &meta)?,
                "tag" => out.tag = Some(meta.value()?.parse::<LitStr>()?.value()),
                "content" => out.content = Some(meta.value()?.parse::<LitStr>()?.value()),
                "untagged" => out.untagged = true,
                "transparent" => out.transparent = true,
                "default" => {
                    out.default = true;
                    skip_value(&meta)?;
                }
                "from" | "try_from" | "into" | "remote" => unsupported(cx, &meta, CONVERTED)?,
                _ => skip_value(&meta)?,
            }
            Ok(())
        });
    }
    out
}

pub fn field(cx: &mut Ctxt, attrs: &[syn::Attribute]) -> SerdeField {
    let mut out = SerdeField::default();
    for attr in serde_attrs(attrs) {
        let _ = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                "rename" => out.rename = wire_name(cx, &meta)?,
                "skip" => out.skip = true,
                "skip_serializing" => out.skip_serializing = true,
                "skip_deserializing" => out.skip_deserializing = true,
                "skip_serializing_if" => {
                    let path: LitStr = meta.value()?.parse()?;
                    out.skip_serializing_if = Some(path.parse()?);
                }
                "default" => {
                    out.default = true;
                    if meta.input.peek(Token![=]) {
                        let path: LitStr = meta.value()?.parse()?;
                        out.default_path = Some(path.parse()?);
                    }
                }
                "flatten" => out.flatten = true,
                "with" | "serialize_with" | "deserialize_with" => unsupported(cx, &meta, WITH)?,
                _ => skip_value(&meta)?,
            }
            Ok(())
        });
    }
    out
}

pub fn variant(cx: &mut Ctxt, attrs: &[syn::Attribute]) -> SerdeVariant {
    let mut out = SerdeVariant::default();
    for attr in serde_attrs(attrs) {
        let _ = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            match key.as_str() {
                "rename" => out.rename = wire_name(cx, &meta)?,
                "rename_all" => out.rename_all = rename_rule(cx, &meta)?,
                "skip" => {
                    out.skip = true;
                    out.skip_deserializing = true;
                }
                "skip_serializing" => out.skip = true,
                "skip_deserializing" | "other" => out.skip_deserializing = true,
                "with" | "serialize_with" | "deserialize_with" => unsupported(cx, &meta, WITH)?,
                "untagged" => unsupported(
                    cx,
                    &meta,
                    "`#[serde(untagged)]` on a single variant is not supported; mark the whole enum untagged or tag every variant",
                )?,
                _ => skip_value(&meta)?,
            }
            Ok(())
        });
    }
    out
}
