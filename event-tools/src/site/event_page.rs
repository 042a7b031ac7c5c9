//! The page of one event: what it is, its record (topic, key, headers), who writes and reads
//! it, its fields, its example, its memory layout, its version history and its files.

use std::fmt::Write as _;

use super::fields::{definition_html, reachable, record_table};
use super::history::history_section;
use super::html::{anchor, code, escape, page, table, Page};
use super::layout_svg::layout_svg;
use super::{EventFacts, Site};
use crate::codegen::model::Def;
use crate::codegen::Language;
use crate::export::{example_path, schema_path, self_contained_path};

/// The page of `facts`' event, as HTML.
pub fn event_page(site: &Site<'_>, facts: &EventFacts<'_>) -> String {
    let event = facts.event;
    let descriptor = &event.descriptor;
    let mut main = String::new();
    let _ = writeln!(
        main,
        "<h1>{}</h1>\n<p class=\"lead\">{}</p>",
        escape(event.event_type()),
        escape(&facts.description)
    );
    main.push_str(&summary(facts));
    main.push_str(&record(facts));
    main.push_str(&services(facts));
    main.push_str(&fields(site, facts));
    let _ = writeln!(
        main,
        "<section aria-labelledby=\"example\">\n<h2 id=\"example\">Example</h2>\n\
         <pre tabindex=\"0\"><code>{}</code></pre>\n</section>",
        escape(&facts.example)
    );
    let layout = match &facts.binary {
        Some(binary) => format!(
            "<p>The binary record's data fields ({}): each bar is a field at its offset, hatched \
             parts are padding. Fields are written in layout order.</p>\n{}",
            code(descriptor.rust_type),
            layout_svg(
                event.event_type(),
                &binary.fields,
                &binary.order,
                binary.record_bytes
            )
        ),
        None => format!(
            "<p>{} has no binary form: it travels as JSON only (<code>#[event(binary)]</code> \
             on it and on the types it holds derives one).</p>\n",
            code(descriptor.rust_type),
        ),
    };
    let _ = writeln!(
        main,
        "<section aria-labelledby=\"layout\">\n<h2 id=\"layout\">Memory layout</h2>\n{layout}</section>"
    );
    main.push_str(&history_section(
        &facts.versions,
        descriptor.compat,
        &facts.version,
    ));
    main.push_str(&files(site, facts));
    let domain_href = format!("index.html#{}", anchor("domain", descriptor.domain));
    page(&Page {
        title: &format!("{} · {}", event.event_type(), site.title),
        catalog: site.title,
        trail: &[
            ("Catalog", Some("index.html")),
            (descriptor.domain, Some(&domain_href)),
            (event.event_type(), None),
        ],
        main: &main,
        scripts: &[],
    })
}

fn summary(facts: &EventFacts<'_>) -> String {
    let descriptor = &facts.event.descriptor;
    let settings = &descriptor.topic_settings;
    let personal: Vec<String> = facts.personal_fields.iter().map(|f| code(f)).collect();
    let mut out = String::from("<dl class=\"facts\">\n");
    let mut fact = |term: &str, value: String| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{value}</dd>", escape(term));
    };
    fact("version", escape(&facts.version.to_string()));
    fact("domain", escape(descriptor.domain));
    fact(
        "topic",
        format!(
            "<a href=\"index.html#{}\">{}</a> ({} partitions, {} days, priority {})",
            anchor("topic", descriptor.topic),
            escape(descriptor.topic),
            settings.partitions,
            settings.retention_days,
            settings.priority.as_str()
        ),
    );
    fact("Rust type", code(descriptor.rust_type));
    fact(
        "personal data",
        if personal.is_empty() {
            "none".to_owned()
        } else {
            format!(
                "{} (data subject {})",
                personal.join(", "),
                code(descriptor.data_subject.unwrap_or("player_id"))
            )
        },
    );
    out.push_str("</dl>\n");
    out
}

fn record(facts: &EventFacts<'_>) -> String {
    let mut out =
        String::from("<section aria-labelledby=\"record\">\n<h2 id=\"record\">Kafka record</h2>\n");
    let key = match facts.event.descriptor.key_field {
        Some(field) => format!(
            "the value of {} as text: one key's events stay in one partition, in order",
            code(&format!("/data/{field}"))
        ),
        None => "none: the producer spreads the records over the partitions".to_owned(),
    };
    let _ = writeln!(out, "<p>Key: {key}. The value is the envelope as JSON.</p>");
    let rows: Vec<Vec<String>> = facts
        .headers
        .iter()
        .map(|(name, value)| vec![code(name), code(value)])
        .collect();
    out.push_str(&table(
        "Headers of the example's record",
        &["header", "value in the example"],
        &rows,
    ));
    out.push_str("</section>\n");
    out
}

fn services(facts: &EventFacts<'_>) -> String {
    let access = &facts.event.descriptor.topic_settings.access;
    let mut out = String::from(
        "<section aria-labelledby=\"services\">\n<h2 id=\"services\">Producers and consumers</h2>\n",
    );
    if access.is_open() {
        out.push_str("<p>The domain declares no service: the cluster's own policy decides who writes and reads its topic.</p>\n");
    } else {
        let list = |services: &[&str]| {
            if services.is_empty() {
                "none declared".to_owned()
            } else {
                services
                    .iter()
                    .map(|s| code(s))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let _ = writeln!(
            out,
            "<dl class=\"facts\"><dt>writes</dt><dd>{}</dd><dt>reads</dt><dd>{}</dd>\
             <dt>reads the dead letters</dt><dd>{}</dd></dl>",
            list(access.producers),
            list(access.consumers),
            list(access.dead_letter_readers)
        );
    }
    out.push_str("</section>\n");
    out
}

fn fields(site: &Site<'_>, facts: &EventFacts<'_>) -> String {
    let mut out = String::from(
        "<section aria-labelledby=\"fields\">\n<h2 id=\"fields\">Fields</h2>\n\
         <p>In layout order, as the schema lists them. <code>event_type</code> is always ",
    );
    let _ = writeln!(
        out,
        "{} and <code>version</code> {}.x.</p>",
        code(&format!("\"{}\"", facts.event.event_type())),
        facts.version.major
    );
    if let Def::Record(envelope) = &site.model.envelope.def {
        out.push_str("<h3 id=\"envelope\">Envelope</h3>\n");
        out.push_str(&record_table("Envelope", envelope));
    }
    let definitions = reachable(site.model, &[facts.data.as_str()]);
    for (i, named) in definitions.into_iter().enumerate() {
        // The data's own table answers to #data too (the envelope's data field links there).
        if i == 0 {
            let _ = writeln!(out, "<div id=\"data\">");
        }
        out.push_str(&definition_html(named, &anchor("type", &named.name)));
        if i == 0 {
            out.push_str("</div>\n");
        }
    }
    let envelope_types = reachable(site.model, &["Metadata"]);
    for named in envelope_types {
        out.push_str(&definition_html(named, &anchor("type", &named.name)));
    }
    out.push_str("</section>\n");
    out
}

fn files(site: &Site<'_>, facts: &EventFacts<'_>) -> String {
    let mut out =
        String::from("<section aria-labelledby=\"files\">\n<h2 id=\"files\">In the export</h2>\n");
    let Some(export) = &site.export_link else {
        out.push_str("<p>The site is written apart from the export: its files are not linked.</p>\n</section>\n");
        return out;
    };
    let event = facts.event;
    let link = |path: &str, text: String| {
        format!(
            "<li><a href=\"{}\">{}</a></li>",
            escape(&format!("{export}{path}")),
            text
        )
    };
    let path = |p: std::path::PathBuf| p.to_string_lossy().replace('\\', "/");
    out.push_str("<ul>\n");
    out.push_str(&link(
        &path(schema_path(event)),
        "JSON Schema (Draft 7, referring to the core schemas)".to_owned(),
    ));
    out.push_str(&link(
        &path(self_contained_path(event)),
        "JSON Schema, self-contained".to_owned(),
    ));
    out.push_str(&link(&path(example_path(event)), "Example".to_owned()));
    out.push_str(&link(
        &format!("topics/{}.json", event.descriptor.topic),
        "Topic configuration".to_owned(),
    ));
    if site.languages.contains(&Language::Go) {
        out.push_str(&link(
            "go/events.go",
            format!(
                "Go: {} in package <code>kafkaevents</code>",
                code(&format!("Envelope[{}]", facts.data))
            ),
        ));
    }
    if site.languages.contains(&Language::TypeScript) {
        out.push_str(&link(
            "typescript/kafka-events.ts",
            format!(
                "TypeScript: {}",
                code(&crate::codegen::typescript::event_interface(
                    event.event_type()
                ))
            ),
        ));
    }
    if site.languages.contains(&Language::AsyncApi) {
        out.push_str(&link(
            "asyncapi.json",
            format!("AsyncAPI: message {}", code(event.event_type())),
        ));
    }
    out.push_str("</ul>\n</section>\n");
    out
}
