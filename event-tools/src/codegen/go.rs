//! Go: one package, a struct per record in layout order, typed string constants for enums, a
//! generic envelope; plus a program that prints `unsafe.Sizeof` of every event in layout and in
//! declaration order, and a test that round-trips every example.

use event_core::binary::repr_c_size;
use event_core::layout::{FieldLayout, LayoutClass};

use super::model::{pascal, CodeModel, Def, FieldDef, Named, Ty};

/// The Go package name (and module path) of the generated code.
pub const PACKAGE: &str = "kafkaevents";

fn go_type(ty: &Ty) -> String {
    match ty {
        Ty::String | Ty::Uuid => "string".to_owned(),
        Ty::DateTime => "time.Time".to_owned(),
        Ty::Int { bits, signed } => format!("{}int{bits}", if *signed { "" } else { "u" }),
        Ty::Float => "float64".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Array(item) => format!("[]{}", go_type(item)),
        Ty::Map(value) => format!("map[string]{}", go_type(value)),
        Ty::Named(name) => pascal(name),
        Ty::Param(name) => name.clone(),
        Ty::Nullable(inner) => match **inner {
            Ty::Array(_) | Ty::Map(_) => go_type(inner),
            _ => format!("*{}", go_type(inner)),
        },
        Ty::Any => "json.RawMessage".to_owned(),
    }
}

/// Size and alignment of a Go type on 64-bit targets, with whether it is variable-length.
fn go_layout(ty: &Ty, catalog: &CodeModel, depth: usize) -> (usize, usize, bool) {
    match ty {
        Ty::String | Ty::Uuid => (16, 8, true),
        Ty::DateTime => (24, 8, false),
        Ty::Int { bits, .. } => (usize::from(*bits) / 8, usize::from(*bits) / 8, false),
        Ty::Float => (8, 8, false),
        Ty::Bool => (1, 1, false),
        Ty::Array(_) | Ty::Any | Ty::Param(_) => (24, 8, true),
        Ty::Map(_) => (8, 8, true),
        Ty::Nullable(inner) => match **inner {
            Ty::Array(_) | Ty::Map(_) => go_layout(inner, catalog, depth),
            _ => (8, 8, false),
        },
        Ty::Named(name) => match catalog.definition(name).map(|d| &d.def) {
            Some(Def::StringEnum(_)) => (16, 8, true),
            Some(Def::Record(fields)) if depth < 8 => {
                let ordered = go_order(fields, catalog, depth + 1);
                let size = repr_c_size(ordered.iter().map(|f| {
                    let (size, align, _) = go_layout(&f.ty, catalog, depth + 1);
                    (size, align)
                }));
                let align = ordered
                    .iter()
                    .map(|f| go_layout(&f.ty, catalog, depth + 1).1)
                    .max()
                    .unwrap_or(1);
                (size, align, true)
            }
            _ => (8, 8, true),
        },
    }
}

/// The fields in layout order for Go's own sizes: variable-length first, then fixed-size by
/// descending alignment and size, booleans last; ties keep the schema's order.
fn go_order<'a>(fields: &'a [FieldDef], catalog: &CodeModel, depth: usize) -> Vec<&'a FieldDef> {
    let layout = |f: &FieldDef| {
        let (size, align, variable) = go_layout(&f.ty, catalog, depth);
        let class = match (variable, &f.ty) {
            (true, _) => LayoutClass::Variable,
            (false, Ty::Bool) => LayoutClass::Bool,
            (false, _) => LayoutClass::Fixed,
        };
        FieldLayout { class, size, align }
    };
    let mut ordered: Vec<&FieldDef> = fields.iter().collect();
    ordered.sort_by(|a, b| layout(a).layout_cmp(&layout(b)));
    ordered
}

/// Tab-indented `first second` lines with the second column aligned, as gofmt writes them.
fn aligned(rows: &[(String, String)]) -> String {
    let width = rows
        .iter()
        .map(|(first, _)| first.chars().count())
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|(first, second)| format!("\t{first:<width$} {second}\n"))
        .collect()
}

fn comment(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        out.push_str(&format!("{indent}// {}\n", line.trim_end()).replace("//  ", "// "));
    }
}

/// A struct field as Go writes it: its doc comment and its three columns.
struct GoField {
    doc: String,
    name: String,
    ty: String,
    tag: String,
}

fn go_field(field: &FieldDef, force_optional: bool) -> GoField {
    let mut doc = field.description.clone().unwrap_or_default();
    if !field.constraints.is_empty() {
        if !doc.is_empty() {
            doc.push('\n');
        }
        doc.push_str(&format!("Constraints: {}.", field.constraints.join(", ")));
    }
    if field.personal {
        if !doc.is_empty() {
            doc.push('\n');
        }
        doc.push_str(&format!(
            "Personal data (PII): {}.",
            super::model::PERSONAL_NOTE
        ));
    }
    let optional = force_optional || !field.required;
    let ty = if force_optional && !matches!(field.ty, Ty::Nullable(_) | Ty::Array(_) | Ty::Map(_)) {
        format!("*{}", go_type(&field.ty))
    } else {
        go_type(&field.ty)
    };
    let omit = if optional { ",omitempty" } else { "" };
    GoField {
        doc,
        name: pascal(&field.wire),
        ty,
        tag: format!("`json:\"{}{omit}\"`", field.wire),
    }
}

/// Writes `fields` as gofmt does: each doc comment above its field, and the columns of
/// consecutive fields without a comment between them aligned.
fn write_fields(out: &mut String, fields: &[GoField]) {
    let mut start = 0;
    while start < fields.len() {
        let end = fields[start + 1..]
            .iter()
            .position(|f| !f.doc.is_empty())
            .map_or(fields.len(), |offset| start + 1 + offset);
        let run = &fields[start..end];
        if !run[0].doc.is_empty() {
            comment(out, "\t", &run[0].doc);
        }
        let name_width = run
            .iter()
            .map(|f| f.name.chars().count())
            .max()
            .unwrap_or(0);
        let ty_width = run.iter().map(|f| f.ty.chars().count()).max().unwrap_or(0);
        for f in run {
            out.push_str(&format!(
                "\t{:<name_width$} {:<ty_width$} {}\n",
                f.name, f.ty, f.tag
            ));
        }
        start = end;
    }
}

fn definition(out: &mut String, named: &Named, catalog: &CodeModel) {
    let name = pascal(&named.name);
    if let Some(description) = &named.description {
        comment(out, "", &format!("{name}: {description}"));
    }
    match &named.def {
        Def::Record(fields) => {
            let parameters = type_parameters(fields);
            out.push_str(&format!("type {name}{parameters} struct {{\n"));
            let columns: Vec<GoField> = go_order(fields, catalog, 0)
                .into_iter()
                .map(|f| go_field(f, false))
                .collect();
            write_fields(out, &columns);
            out.push_str("}\n\n");
        }
        Def::StringEnum(values) => {
            out.push_str(&format!("type {name} string\n\nconst (\n"));
            let rows: Vec<(String, String)> = values
                .iter()
                .map(|value| {
                    (
                        format!("{name}{}", pascal(value)),
                        format!("{name} = \"{value}\""),
                    )
                })
                .collect();
            out.push_str(&aligned(&rows));
            out.push_str(&format!(
                ")\n\n// Valid reports whether v is one of the values of {name}.\nfunc (v {name}) Valid() bool {{\n\tswitch v {{\n\tcase {}:\n\t\treturn true\n\t}}\n\treturn false\n}}\n\n",
                values.iter().map(|v| format!("{name}{}", pascal(v))).collect::<Vec<_>>().join(", ")
            ));
        }
        Def::TaggedUnion { tag, variants } => {
            out.push_str(&format!(
                "// {name} holds one variant, told by {}; the fields of other variants are nil.\ntype {name} struct {{\n",
                pascal(tag)
            ));
            let mut columns = vec![GoField {
                doc: String::new(),
                name: pascal(tag),
                ty: "string".to_owned(),
                tag: format!("`json:\"{tag}\"`"),
            }];
            let mut seen = Vec::new();
            for (_, fields) in variants {
                for f in fields {
                    if !seen.contains(&f.wire) {
                        seen.push(f.wire.clone());
                        columns.push(go_field(f, true));
                    }
                }
            }
            write_fields(out, &columns);
            out.push_str("}\n\n");
            out.push_str(&format!("// {name} variants.\nconst (\n"));
            let rows: Vec<(String, String)> = variants
                .iter()
                .map(|(value, _)| (format!("{name}{}", pascal(value)), format!("= \"{value}\"")))
                .collect();
            out.push_str(&aligned(&rows));
            out.push_str(")\n\n");
        }
        Def::Other => {
            out.push_str(&format!("type {name} = json.RawMessage\n\n"));
        }
    }
}

/// `[T any]` for a record with type parameters, else nothing.
fn type_parameters(fields: &[FieldDef]) -> String {
    let names = super::model::type_parameters(fields);
    if names.is_empty() {
        String::new()
    } else {
        format!("[{} any]", names.join(", "))
    }
}

/// The package source: every definition and the envelope.
pub fn package(catalog: &CodeModel) -> String {
    let mut out = format!("{}\n\n// Package {PACKAGE} holds the Go types of the kafka-events catalog.\npackage {PACKAGE}\n\nimport (\n\t\"bytes\"\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"time\"\n)\n\nvar _ json.RawMessage\n\n", catalog.header("Go"));
    definition(&mut out, &catalog.envelope, catalog);
    for named in &catalog.definitions {
        definition(&mut out, named, catalog);
    }
    out.push_str("// EventTypes lists every event of the catalog with its topic.\nvar EventTypes = map[string]string{\n");
    let rows: Vec<(String, String)> = catalog
        .events
        .iter()
        .map(|e| {
            (
                format!("\"{}\":", e.event_type),
                format!("\"{}\",", e.topic),
            )
        })
        .collect();
    out.push_str(&aligned(&rows));
    out.push_str("}\n\n");
    out.push_str("// DecodeEvent reads the envelope of the event named eventType into its struct, refusing\n// members its schema does not have; the result is an *Envelope[T] of that event's T.\nfunc DecodeEvent(eventType string, data []byte) (any, error) {\n\tswitch eventType {\n");
    for event in &catalog.events {
        out.push_str(&format!(
            "\tcase \"{}\":\n\t\treturn decode[{}](data)\n",
            event.event_type,
            pascal(&event.data)
        ));
    }
    out.push_str("\t}\n\treturn nil, fmt.Errorf(\"unknown event type %q\", eventType)\n}\n\nfunc decode[T any](data []byte) (any, error) {\n\tvar envelope Envelope[T]\n\tdecoder := json.NewDecoder(bytes.NewReader(data))\n\tdecoder.DisallowUnknownFields()\n\tif err := decoder.Decode(&envelope); err != nil {\n\t\treturn nil, err\n\t}\n\treturn &envelope, nil\n}\n");
    out
}

/// A test that decodes every example into its struct and re-encodes it to equal JSON.
pub fn examples_test(catalog: &CodeModel) -> String {
    let mut out = format!(
        "{}\n\npackage {PACKAGE}\n\nimport (\n\t\"bytes\"\n\t\"encoding/json\"\n\t\"os\"\n\t\"reflect\"\n\t\"testing\"\n)\n\n",
        catalog.header("Go test")
    );
    out.push_str(
        r#"// normalized drops null members: an absent optional field and a null one mean the same.
func normalized(t *testing.T, raw []byte) interface{} {
	var value interface{}
	if err := json.Unmarshal(raw, &value); err != nil {
		t.Fatal(err)
	}
	return dropNulls(value)
}

func dropNulls(value interface{}) interface{} {
	switch v := value.(type) {
	case map[string]interface{}:
		for key, member := range v {
			if member == nil {
				delete(v, key)
			} else {
				v[key] = dropNulls(member)
			}
		}
	case []interface{}:
		for i := range v {
			v[i] = dropNulls(v[i])
		}
	}
	return value
}

// reencodesEqual checks that what raw decoded into re-encodes to the same JSON.
func reencodesEqual(t *testing.T, path string, raw []byte, decoded any) {
	again, err := json.Marshal(decoded)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalized(t, raw), normalized(t, again)) {
		t.Fatalf("%s: re-encoded differently:\n%s\n%s", path, raw, again)
	}
}

func roundTrip[T any](t *testing.T, path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var envelope Envelope[T]
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&envelope); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	reencodesEqual(t, path, raw, envelope)
}

// decodesByName checks DecodeEvent reads the example into the event's struct.
func decodesByName(t *testing.T, eventType string, path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := DecodeEvent(eventType, raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	reencodesEqual(t, path, raw, decoded)
	if _, err := DecodeEvent("no.such.event", raw); err == nil {
		t.Fatal("an unknown event type was decoded")
	}
}

"#,
    );
    for event in &catalog.events {
        out.push_str(&format!(
            "func Test{}(t *testing.T) {{\n\troundTrip[{}](t, \"../examples/{}/{}.json\")\n\tdecodesByName(t, \"{}\", \"../examples/{}/{}.json\")\n}}\n\n",
            pascal(&event.event_type),
            pascal(&event.data),
            event.folder,
            event.event_type,
            event.event_type,
            event.folder,
            event.event_type
        ));
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// A program printing `unsafe.Sizeof` of each event's struct in layout order and in the Rust
/// declaration order, and the total saving.
pub fn sizes_program(catalog: &CodeModel) -> String {
    let mut out = format!(
        "{}\n\n// Command sizes prints the memory size of every event struct in layout order and in\n// the Rust declaration order.\npackage main\n\nimport (\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"time\"\n\t\"unsafe\"\n\n\tevents \"{PACKAGE}\"\n)\n\nvar (\n\t_ events.Metadata\n\t_ json.RawMessage\n\t_ time.Time\n)\n\n",
        catalog.header("Go program")
    );
    let mut rows = Vec::new();
    for event in &catalog.events {
        let Some(Named {
            def: Def::Record(fields),
            ..
        }) = catalog.definition(&event.data)
        else {
            continue;
        };
        let declared_name = format!("{}Declared", pascal(&event.data));
        out.push_str(&format!("type {declared_name} struct {{\n"));
        let field_rows: Vec<(String, String)> = event
            .declared_fields
            .iter()
            .filter_map(|wire| fields.iter().find(|f| &f.wire == wire))
            .map(|f| (pascal(&f.wire), qualified(&go_type(&f.ty))))
            .collect();
        out.push_str(&aligned(&field_rows));
        out.push_str("}\n\n");
        rows.push((event, declared_name));
    }
    out.push_str("func main() {\n\tvar layout, declared uintptr\n");
    for (event, declared_name) in &rows {
        out.push_str(&format!(
            "\tprintRow(\"{}\", unsafe.Sizeof(events.{}{{}}), unsafe.Sizeof({declared_name}{{}}), &layout, &declared)\n",
            event.event_type,
            pascal(&event.data)
        ));
    }
    out.push_str("\tfmt.Printf(\"total: %d bytes in layout order, %d in declaration order, %.1f%% saved\\n\", layout, declared, 100*(1-float64(layout)/float64(declared)))\n}\n\n");
    out.push_str("func printRow(name string, layout, declared uintptr, totalLayout, totalDeclared *uintptr) {\n\t*totalLayout += layout\n\t*totalDeclared += declared\n\tfmt.Printf(\"%-40s %4d bytes in layout order, %4d declared, %5.1f%% saved\\n\", name, layout, declared, 100*(1-float64(layout)/float64(declared)))\n}\n");
    out
}

/// Qualifies the package's named types with `events.` for use outside the package.
fn qualified(ty: &str) -> String {
    let (prefix, base) = ty.split_at(ty.len() - ty.trim_start_matches(['*', '[', ']']).len());
    if let Some(value) = base.strip_prefix("map[string]") {
        return format!("{prefix}map[string]{}", qualified(value));
    }
    let builtin = ["string", "bool", "float64", "time.Time", "json.RawMessage"].contains(&base)
        || base.starts_with("int")
        || base.starts_with("uint");
    if builtin {
        format!("{prefix}{base}")
    } else {
        format!("{prefix}events.{base}")
    }
}

/// The `go.mod` of the generated module.
pub fn go_mod() -> String {
    format!("module {PACKAGE}\n\ngo 1.19\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(doc: &str, name: &str, ty: &str) -> GoField {
        GoField {
            doc: doc.to_owned(),
            name: name.to_owned(),
            ty: ty.to_owned(),
            tag: format!("`json:\"{}\"`", name.to_lowercase()),
        }
    }

    #[test]
    fn fields_without_a_comment_between_them_are_aligned_as_gofmt_does() {
        let mut out = String::new();
        write_fields(
            &mut out,
            &[
                column("Delivery metadata.", "Metadata", "Metadata"),
                column("", "Data", "T"),
                column("The name.", "EventType", "string"),
            ],
        );
        assert_eq!(
            out,
            "\t// Delivery metadata.\n\tMetadata Metadata `json:\"metadata\"`\n\tData     T        `json:\"data\"`\n\t// The name.\n\tEventType string `json:\"eventtype\"`\n"
        );
    }
}
