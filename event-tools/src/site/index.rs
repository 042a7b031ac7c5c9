//! The index page: domains → topics (partitions, retention, priority) → events, with a search
//! box that filters events by name, field name or description as you type.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::html::{anchor, code, escape, page, Page};
use super::{EventFacts, Site};

/// The index page, as HTML.
pub fn index_page(site: &Site<'_>, events: &[EventFacts<'_>]) -> String {
    // domain → topic → events, each sorted.
    let mut domains: BTreeMap<&str, BTreeMap<&str, Vec<&EventFacts<'_>>>> = BTreeMap::new();
    for facts in events {
        let descriptor = &facts.event.descriptor;
        domains
            .entry(descriptor.domain)
            .or_default()
            .entry(descriptor.topic)
            .or_default()
            .push(facts);
    }
    let mut main = String::new();
    let _ = writeln!(
        main,
        "<h1>{}</h1>\n<p class=\"lead\">{} events in {} domains. Each page shows an event's \
         fields, example, record, memory layout and version history.</p>",
        escape(site.title),
        events.len(),
        domains.len()
    );
    main.push_str(
        "<div role=\"search\" class=\"search\">\n<label for=\"search\">Find an event by name, field or description</label>\n\
         <input id=\"search\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\">\n\
         <p id=\"search-count\" role=\"status\"></p>\n</div>\n",
    );
    for (domain, topics) in &domains {
        let _ = writeln!(
            main,
            "<section data-group aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>",
            escape(domain),
            id = anchor("domain", domain)
        );
        for (topic, carried) in topics {
            let Some(first) = carried.first() else {
                continue;
            };
            let settings = &first.event.descriptor.topic_settings;
            let _ = writeln!(
                main,
                "<div data-group class=\"topic\">\n<h3 id=\"{}\">{}</h3>\n\
                 <p>{} partitions · retention {} days · priority {}</p>\n<ul class=\"events\">",
                anchor("topic", topic),
                code(topic),
                settings.partitions,
                settings.retention_days,
                settings.priority.as_str()
            );
            for facts in carried {
                let _ = writeln!(
                    main,
                    "<li data-search=\"{}\"><a href=\"{}\">{}</a> <span class=\"version\">{}</span> \
                     <span class=\"description\">{}</span></li>",
                    escape(&facts.search_text()),
                    escape(&facts.page),
                    escape(facts.event.event_type()),
                    escape(&facts.version.to_string()),
                    escape(&facts.description)
                );
            }
            main.push_str("</ul>\n</div>\n");
        }
        main.push_str("</section>\n");
    }
    main.push_str("<p id=\"no-match\" hidden>No event matches.</p>\n");
    page(&Page {
        title: site.title,
        catalog: site.title,
        trail: &[],
        main: &main,
        scripts: &["search.js"],
    })
}
