//! The field tables of an event page: the envelope, the event's data and every type they use,
//! in layout order, each type linked to its own table on the page.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;

use super::html::{anchor, code, escape, table};
use crate::codegen::model::{CodeModel, Def, FieldDef, Named, Ty};

/// The columns of a field table.
const COLUMNS: [&str; 8] = [
    "field",
    "type",
    "required",
    "constraints",
    "default",
    "deprecated",
    "personal data",
    "description",
];

/// A type in words, a named one linked to its table.
pub fn type_html(ty: &Ty) -> String {
    match ty {
        Ty::String => "string".to_owned(),
        Ty::Uuid => "uuid".to_owned(),
        Ty::DateTime => "date-time".to_owned(),
        Ty::Int { bits, signed } => format!(
            "integer ({bits}-bit, {})",
            if *signed { "signed" } else { "unsigned" }
        ),
        Ty::Float => "number".to_owned(),
        Ty::Bool => "boolean".to_owned(),
        Ty::Array(item) => format!("array of {}", type_html(item)),
        Ty::Map(value) => format!("map of string to {}", type_html(value)),
        Ty::Named(name) => format!("<a href=\"#{}\">{}</a>", anchor("type", name), escape(name)),
        Ty::Nullable(inner) => format!("{} or null", type_html(inner)),
        Ty::Param(_) => "<a href=\"#data\">the event's data</a>".to_owned(),
        Ty::Any => "any JSON".to_owned(),
    }
}

fn value_html(value: &Value) -> String {
    code(&value.to_string())
}

fn row(field: &FieldDef) -> Vec<String> {
    let yes_no = |flag: bool| if flag { "yes" } else { "no" }.to_owned();
    vec![
        code(&field.wire),
        type_html(&field.ty),
        yes_no(field.required),
        field
            .constraints
            .iter()
            .map(|c| code(c))
            .collect::<Vec<_>>()
            .join(" "),
        field.default.as_ref().map(value_html).unwrap_or_default(),
        if field.deprecated {
            "<strong>deprecated</strong>".to_owned()
        } else {
            String::new()
        },
        if field.personal {
            "<span class=\"pii\">PII</span>".to_owned()
        } else {
            String::new()
        },
        field.description.as_deref().map(escape).unwrap_or_default(),
    ]
}

/// The table of a record's fields.
pub fn record_table(caption: &str, fields: &[FieldDef]) -> String {
    let rows: Vec<Vec<String>> = fields.iter().map(row).collect();
    table(caption, &COLUMNS, &rows)
}

/// The named types `ty` refers to, directly.
fn named_in(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(name) => out.push(name.clone()),
        Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => named_in(inner, out),
        _ => {}
    }
}

fn fields_of(def: &Def) -> Vec<&FieldDef> {
    match def {
        Def::Record(fields) => fields.iter().collect(),
        Def::TaggedUnion { variants, .. } => variants.iter().flat_map(|(_, f)| f).collect(),
        Def::StringEnum(_) | Def::Other => Vec::new(),
    }
}

/// Every definition reachable from `roots`, each once, in the order they are met
/// (breadth first).
pub fn reachable<'m>(model: &'m CodeModel, roots: &[&str]) -> Vec<&'m Named> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = roots.iter().map(|r| (*r).to_owned()).collect();
    let mut found = Vec::new();
    let mut next = 0;
    while next < queue.len() {
        let name = queue[next].clone();
        next += 1;
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(named) = model.definition(&name) else {
            continue;
        };
        let mut referred = Vec::new();
        for field in fields_of(&named.def) {
            named_in(&field.ty, &mut referred);
        }
        queue.extend(referred);
        found.push(named);
    }
    found
}

/// The section of one definition: its description and its table, list of values or
/// variants, under an anchor named after it.
pub fn definition_html(named: &Named, id: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<h3 id=\"{}\">{}</h3>",
        escape(id),
        escape(&named.name)
    );
    if let Some(description) = &named.description {
        let _ = writeln!(out, "<p>{}</p>", escape(description));
    }
    match &named.def {
        Def::Record(fields) => out.push_str(&record_table(&named.name, fields)),
        Def::StringEnum(values) => {
            let values: Vec<String> = values.iter().map(|v| code(&format!("\"{v}\""))).collect();
            let _ = writeln!(out, "<p>One of: {}.</p>", values.join(", "));
        }
        Def::TaggedUnion { tag, variants } => {
            let _ = writeln!(
                out,
                "<p>One of {} variants, told apart by {}.</p>",
                variants.len(),
                code(tag)
            );
            for (value, fields) in variants {
                let caption = format!("{} when {tag} is \"{value}\"", named.name);
                out.push_str(&record_table(&caption, fields));
            }
        }
        Def::Other => out.push_str("<p>Any JSON value the schema allows (see the schema).</p>\n"),
    }
    out
}

/// The words the index's search matches an event by: the names and descriptions of the
/// data's fields and of every type they use.
pub fn search_words(model: &CodeModel, data: &str) -> Vec<String> {
    let mut words = Vec::new();
    for named in reachable(model, &[data]) {
        words.push(named.name.clone());
        words.extend(named.description.clone());
        for field in fields_of(&named.def) {
            words.push(field.wire.clone());
            words.extend(field.description.clone());
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_as_words_and_named_ones_link_to_their_table() {
        let ty = Ty::Nullable(Box::new(Ty::Array(Box::new(Ty::Named("Vec3".into())))));
        assert_eq!(
            type_html(&ty),
            "array of <a href=\"#type-Vec3\">Vec3</a> or null"
        );
        assert_eq!(
            type_html(&Ty::Int {
                bits: 16,
                signed: false
            }),
            "integer (16-bit, unsigned)"
        );
    }
}
