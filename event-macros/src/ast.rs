//! The derive input as typed data: containers, variants and fields with their parsed
//! attributes and wire names (serde's renaming already applied).

use syn::ext::IdentExt;
use syn::{Data as SynData, DeriveInput, Fields, Generics, Ident, Type};

use crate::attr::{self, EventAttr, FieldKeywords};
use crate::case::RenameRule;
use crate::ctxt::Ctxt;
use crate::serde_attr::{self, SerdeContainer, SerdeField, SerdeVariant};

pub struct Container<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub doc: Option<String>,
    pub serde: SerdeContainer,
    pub event: Option<EventAttr>,
    pub data: Data<'a>,
}

pub enum Data<'a> {
    Struct(Style, Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `struct S { a: A }`
    Named,
    /// `struct S(A, B);`
    Tuple,
    /// `struct S(A);`
    Newtype,
    /// `struct S;`
    Unit,
}

pub struct Field<'a> {
    pub original: &'a syn::Field,
    /// The name serde writes (named fields only).
    pub name: String,
    pub ty: &'a Type,
    pub serde: SerdeField,
    pub keywords: FieldKeywords,
    pub doc: Option<String>,
}

pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// The name serde writes.
    pub name: String,
    pub style: Style,
    pub fields: Vec<Field<'a>>,
    pub serde: SerdeVariant,
    pub doc: Option<String>,
}

impl<'a> Container<'a> {
    /// The typed input, or `None` for a shape that has no schema (an error is recorded).
    pub fn from_ast(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let serde = serde_attr::container(cx, &input.attrs);
        let event = attr::parse_event_attrs(cx, &input.attrs);
        let data = match &input.data {
            SynData::Struct(data) => {
                let (style, fields) = fields_of(cx, &data.fields, serde.rename_all);
                Data::Struct(style, fields)
            }
            SynData::Enum(data) => Data::Enum(
                data.variants
                    .iter()
                    .map(|variant| variant_of(cx, variant, &serde))
                    .collect(),
            ),
            SynData::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "unions have no JSON form in serde: derive the schema on a struct or an enum",
                );
                return None;
            }
        };
        Some(Container {
            ident: &input.ident,
            generics: &input.generics,
            doc: attr::doc_comment(&input.attrs),
            serde,
            event,
            data,
        })
    }
}

fn variant_of<'a>(
    cx: &mut Ctxt,
    variant: &'a syn::Variant,
    container: &SerdeContainer,
) -> Variant<'a> {
    let serde = serde_attr::variant(cx, &variant.attrs);
    if let Some(attr) = variant.attrs.iter().find(|a| a.path().is_ident("event")) {
        cx.error_spanned_by(
            attr,
            "#[event(..)] is not used on variants: put keywords on the variant's fields",
        );
    }
    let ident_name = variant.ident.unraw().to_string();
    let name = serde
        .rename
        .clone()
        .unwrap_or_else(|| match container.rename_all {
            Some(rule) => rule.apply_to_variant(&ident_name),
            None => ident_name,
        });
    let field_rule = serde.rename_all.or(container.rename_all_fields);
    let (style, fields) = fields_of(cx, &variant.fields, field_rule);
    Variant {
        ident: &variant.ident,
        name,
        style,
        fields,
        serde,
        doc: attr::doc_comment(&variant.attrs),
    }
}

fn fields_of<'a>(
    cx: &mut Ctxt,
    fields: &'a Fields,
    rule: Option<RenameRule>,
) -> (Style, Vec<Field<'a>>) {
    let style = match fields {
        Fields::Named(_) => Style::Named,
        Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => Style::Newtype,
        Fields::Unnamed(_) => Style::Tuple,
        Fields::Unit => Style::Unit,
    };
    let fields = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let serde = serde_attr::field(cx, &field.attrs);
            let declared = match &field.ident {
                Some(ident) => ident.unraw().to_string(),
                None => index.to_string(),
            };
            let name = serde.rename.clone().unwrap_or_else(|| match rule {
                Some(rule) => rule.apply_to_field(&declared),
                None => declared,
            });
            Field {
                original: field,
                name,
                ty: &field.ty,
                keywords: attr::parse_field_keywords(cx, &field.attrs),
                serde,
                doc: attr::doc_comment(&field.attrs),
            }
        })
        .collect();
    (style, fields)
}

impl Field<'_> {
    /// Whether the field is part of the JSON form at all.
    pub fn in_schema(&self) -> bool {
        !self.serde.skip
    }
}
