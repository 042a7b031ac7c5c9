//! TypeScript: an interface per record, string-literal unions for enums, a generic envelope and
//! a union of every event discriminated by `event_type`; plus a test file that types every
//! example and narrows the union with a `switch`.

use serde_json::Value;

use super::model::{pascal, type_parameters, CodeModel, Def, FieldDef, Named, Ty};

fn ts_type(ty: &Ty) -> String {
    match ty {
        Ty::String | Ty::Uuid | Ty::DateTime => "string".to_owned(),
        Ty::Int { .. } | Ty::Float => "number".to_owned(),
        Ty::Bool => "boolean".to_owned(),
        Ty::Array(item) => format!("Array<{}>", ts_type(item)),
        Ty::Map(value) => format!("Record<string, {}>", ts_type(value)),
        Ty::Named(name) => pascal(name),
        Ty::Param(name) => name.clone(),
        Ty::Nullable(inner) => format!("{} | null", ts_type(inner)),
        Ty::Any => "unknown".to_owned(),
    }
}

fn jsdoc(out: &mut String, indent: &str, description: Option<&str>, constraints: &[String]) {
    if description.is_none() && constraints.is_empty() {
        return;
    }
    out.push_str(&format!("{indent}/**\n"));
    for line in description.unwrap_or_default().lines() {
        out.push_str(&format!("{indent} * {}\n", line.replace("*/", "* /")));
    }
    for constraint in constraints {
        let (keyword, value) = constraint.split_once(": ").unwrap_or((constraint, ""));
        out.push_str(&format!(
            "{indent} * @{keyword} {}\n",
            value.replace("*/", "* /")
        ));
    }
    out.push_str(&format!("{indent} */\n"));
}

fn fields(out: &mut String, fields: &[FieldDef]) {
    for f in fields {
        let mut notes = f.constraints.clone();
        if f.personal {
            notes.push(format!("pii: {}", super::model::PERSONAL_NOTE));
        }
        jsdoc(out, "  ", f.description.as_deref(), &notes);
        let optional = if f.required { "" } else { "?" };
        out.push_str(&format!("  {}{optional}: {};\n", f.wire, ts_type(&f.ty)));
    }
}

fn definition(out: &mut String, named: &Named) {
    let name = pascal(&named.name);
    jsdoc(out, "", named.description.as_deref(), &[]);
    match &named.def {
        Def::Record(record) => {
            let parameters = type_parameters(record);
            let parameters = if parameters.is_empty() {
                String::new()
            } else {
                format!("<{}>", parameters.join(", "))
            };
            out.push_str(&format!("export interface {name}{parameters} {{\n"));
            fields(out, record);
            out.push_str("}\n\n");
        }
        Def::StringEnum(values) => {
            let union: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
            out.push_str(&format!("export type {name} = {};\n\n", union.join(" | ")));
        }
        Def::TaggedUnion { tag, variants } => {
            let branches: Vec<String> = variants
                .iter()
                .map(|(value, variant)| {
                    let mut branch = format!("{{\n  {tag}: \"{value}\";\n");
                    fields(&mut branch, variant);
                    branch.push('}');
                    branch
                })
                .collect();
            out.push_str(&format!(
                "export type {name} =\n  | {};\n\n",
                branches.join("\n  | ")
            ));
        }
        Def::Other => out.push_str(&format!("export type {name} = unknown;\n\n")),
    }
}

/// The name of the interface of one event in its envelope (`CombatSessionStartEvent`).
pub fn event_interface(event_type: &str) -> String {
    format!("{}Event", pascal(event_type))
}

/// The types module.
pub fn types(catalog: &CodeModel) -> String {
    let mut out = format!("{}\n\n", catalog.header("TypeScript"));
    definition(&mut out, &catalog.envelope);
    for named in &catalog.definitions {
        definition(&mut out, named);
    }
    for event in &catalog.events {
        out.push_str(&format!(
            "/** `{}` in its envelope (topic {}). */\nexport interface {} extends Envelope<{}> {{\n  event_type: \"{}\";\n}}\n\n",
            event.event_type,
            event.topic,
            event_interface(&event.event_type),
            pascal(&event.data),
            event.event_type
        ));
    }
    let union: Vec<String> = catalog
        .events
        .iter()
        .map(|e| event_interface(&e.event_type))
        .collect();
    out.push_str(&format!(
        "/** Any event of the catalog; `switch (e.event_type)` narrows it. */\nexport type KafkaEvent =\n  | {};\n",
        union.join("\n  | ")
    ));
    out
}

/// A test module: every example typed as its event, and a `switch` that narrows the union.
pub fn examples_test(catalog: &CodeModel, examples: &[(String, Value)]) -> String {
    let names: Vec<String> = catalog
        .events
        .iter()
        .map(|e| event_interface(&e.event_type))
        .collect();
    let mut out = format!(
        "{}\n\nimport type {{ KafkaEvent, {} }} from \"./kafka-events\";\n\n",
        catalog.header("TypeScript test"),
        names.join(", ")
    );
    for (event, name) in catalog.events.iter().zip(&names) {
        let example = examples
            .iter()
            .find(|(t, _)| *t == event.event_type)
            .map(|(_, v)| serde_json::to_string_pretty(v).unwrap_or_default())
            .unwrap_or_default();
        out.push_str(&format!(
            "export const {}: {name} = {example};\n\n",
            event.event_type.replace('.', "_")
        ));
    }
    out.push_str("/** Narrows the union: each branch reads a field only its event has. */\nexport function describe(e: KafkaEvent): string {\n  switch (e.event_type) {\n");
    for event in &catalog.events {
        let first = catalog
            .definition(&event.data)
            .and_then(|d| match &d.def {
                Def::Record(fields) => fields.iter().find(|f| f.required).map(|f| f.wire.clone()),
                _ => None,
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "    case \"{}\":\n      return String(e.data.{first});\n",
            event.event_type
        ));
    }
    out.push_str("  }\n}\n\n");
    let all: Vec<String> = catalog
        .events
        .iter()
        .map(|e| e.event_type.replace('.', "_"))
        .collect();
    out.push_str(&format!(
        "export const all: KafkaEvent[] = [{}];\n",
        all.join(", ")
    ));
    out
}
