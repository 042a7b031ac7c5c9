//! The browsable catalog: a static site (`out/site/`) that `export-schemas` writes beside the
//! export. An index of domains, topics and events with a search box, and a page per event
//! with its fields in layout order, example, record, producers and consumers, a picture of its
//! memory layout and its version history with the checker's change list. Plain HTML, one
//! style sheet and a few lines of JavaScript: it works from `file://`, with no network.
//!
//! ```
//! # use event_core::{catalog::Example, DomainEvents, Envelope, KafkaEvent};
//! # event_core::domain! { pub struct Ops { name: "ops", topic: "ops.events", partitions: 1, retention_days: 1, priority: Low } }
//! # #[derive(KafkaEvent, serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! # #[event("ops.node.started")]
//! # /// A node started.
//! # pub struct NodeStarted { pub node: String }
//! # impl Example for NodeStarted { fn example() -> Self { NodeStarted { node: "n1".into() } } }
//! # #[derive(DomainEvents, Debug)]
//! # pub enum OpsEvent { NodeStarted(Envelope<NodeStarted>) }
//! use event_tools::site::{site_files, SiteOptions};
//!
//! let catalog = event_tools::Catalog::new("ops events", "/nonexistent").with_domain::<OpsEvent>();
//! let files = site_files(&catalog, &SiteOptions::default())?;
//! let page = files.iter().find(|f| f.path.ends_with("ops.node.started.html")).unwrap();
//! assert!(page.text.contains("<h1>ops.node.started</h1>"));
//! # Ok::<(), event_tools::site::SiteError>(())
//! ```

mod event_page;
mod fields;
mod history;
pub mod html;
mod index;
mod layout_svg;

use std::path::{Component, Path, PathBuf};

use event_core::binary::BinaryField;
use event_core::personal::PersonalPaths;

use crate::catalog::{Catalog, CatalogEvent};
use crate::codegen::model::CodeModel;
use crate::codegen::{Language, SourceFile};
use crate::snapshot::{catalog_store, version_of, SemVer, Snapshot, SnapshotError};

/// The site's style sheet.
const STYLE: &str = include_str!("assets/style.css");
/// The index's search.
const SEARCH: &str = include_str!("assets/search.js");

/// The site's folder inside the export, by default.
pub const SITE_FOLDER: &str = "site";

/// What the site links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteOptions {
    /// The languages generated beside it (their files are linked).
    pub languages: Vec<Language>,
    /// The export folder as seen from the site's folder (`../` for `out/site/`), or `None`
    /// when the site is written apart from the export and links no export file.
    pub export_link: Option<String>,
}

impl Default for SiteOptions {
    /// Inside the export (`out/site/`), every language generated.
    fn default() -> Self {
        SiteOptions {
            languages: Language::ALL.to_vec(),
            export_link: Some("../".to_owned()),
        }
    }
}

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// An event's snapshots could not be read.
    #[error("the version history of `{event_type}`: {source}")]
    Snapshots {
        /// The event.
        event_type: String,
        /// What failed.
        source: SnapshotError,
    },
    /// An event's binary layout could not be computed.
    #[error("the memory layout of `{event_type}`: {message}")]
    Layout {
        /// The event.
        event_type: String,
        /// What failed.
        message: String,
    },
}

/// What every page shares.
struct Site<'a> {
    title: &'a str,
    model: &'a CodeModel,
    languages: &'a [Language],
    export_link: Option<String>,
}

/// What a page shows of one event, gathered once.
struct EventFacts<'a> {
    event: &'a CatalogEvent,
    /// The page's file name.
    page: String,
    version: SemVer,
    /// The data definition's name.
    data: String,
    description: String,
    /// The example envelope, formatted.
    example: String,
    headers: Vec<(String, String)>,
    personal_fields: Vec<String>,
    /// The binary record's layout, when the event has a binary form.
    binary: Option<BinaryFacts>,
    versions: Vec<Snapshot>,
    /// Lowercase words the search matches.
    search: Vec<String>,
}

/// The binary record of an event's example: fields in declaration order, their layout order
/// and the record's size.
struct BinaryFacts {
    fields: Vec<BinaryField>,
    order: Vec<usize>,
    record_bytes: usize,
}

impl EventFacts<'_> {
    /// The text the index's search looks in: one line of lowercase words.
    fn search_text(&self) -> String {
        let mut text = vec![self.event.event_type().to_owned(), self.description.clone()];
        text.extend(self.search.iter().cloned());
        text.join(" ")
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The page file of an event: `<event_type>.html`.
pub fn page_name(event_type: &str) -> String {
    format!("{event_type}.html")
}

fn facts<'a>(
    catalog: &Catalog,
    model: &CodeModel,
    event: &'a CatalogEvent,
) -> Result<EventFacts<'a>, SiteError> {
    let event_type = event.event_type();
    let versions = catalog_store(catalog)
        .all_versions(event.descriptor.domain, event_type)
        .map_err(|source| SiteError::Snapshots {
            event_type: event_type.to_owned(),
            source,
        })?;
    let layout_error = |message: String| SiteError::Layout {
        event_type: event_type.to_owned(),
        message,
    };
    let binary = match ((event.binary_layout)(), (event.binary_round_trip)()) {
        (Some(layout), Some(record_bytes)) => Some(BinaryFacts {
            fields: layout.fields,
            order: layout.order,
            record_bytes: record_bytes.map_err(layout_error)?,
        }),
        _ => None,
    };
    let record = (event.example_record)().map_err(|e| layout_error(e.to_string()))?;
    let headers = record
        .headers
        .iter()
        .map(|(name, value)| {
            (
                (*name).to_owned(),
                String::from_utf8_lossy(value).into_owned(),
            )
        })
        .collect();
    let definition = model
        .events
        .iter()
        .find(|e| e.event_type == event_type)
        .map(|e| e.data.clone())
        .unwrap_or_default();
    let description = model
        .definition(&definition)
        .and_then(|d| d.description.clone())
        .unwrap_or_default();
    let example = serde_json::to_string_pretty(&(event.example_envelope)()).unwrap_or_default();
    // The document the code model already generated: personal fields as the topic files list
    // them (`/data/text`).
    let personal_fields = model
        .documents
        .iter()
        .find(|(name, _)| name == event_type)
        .map(|(_, document)| PersonalPaths::of_schema(document).patterns())
        .unwrap_or_default();
    Ok(EventFacts {
        event,
        page: page_name(event_type),
        version: version_of(&event.descriptor),
        search: fields::search_words(model, &definition),
        data: definition,
        description,
        example,
        headers,
        personal_fields,
        binary,
        versions,
    })
}

/// Every file of the site, paths relative to the site's folder, in a fixed order.
pub fn site_files(catalog: &Catalog, options: &SiteOptions) -> Result<Vec<SourceFile>, SiteError> {
    let model = CodeModel::read(catalog);
    let site = Site {
        title: catalog.title(),
        model: &model,
        languages: &options.languages,
        export_link: options.export_link.clone(),
    };
    let mut events = catalog
        .events()
        .iter()
        .map(|event| facts(catalog, &model, event))
        .collect::<Result<Vec<_>, _>>()?;
    events.sort_by(|a, b| a.event.event_type().cmp(b.event.event_type()));
    let mut files = vec![
        SourceFile {
            path: PathBuf::from("index.html"),
            text: index::index_page(&site, &events),
        },
        SourceFile {
            path: PathBuf::from("style.css"),
            text: STYLE.to_owned(),
        },
        SourceFile {
            path: PathBuf::from("search.js"),
            text: SEARCH.to_owned(),
        },
    ];
    for facts in &events {
        files.push(SourceFile {
            path: PathBuf::from(&facts.page),
            text: event_page::event_page(&site, facts),
        });
    }
    Ok(files)
}

/// How the site's folder reaches the export's: `../` for `out/site` in `out`; `None` when no
/// relative path joins them (another drive). Both are taken from the current folder.
pub fn export_link(site: &Path, out: &Path) -> Option<String> {
    let absolute = |path: &Path| -> Option<Vec<String>> {
        let joined = std::env::current_dir().ok()?.join(path);
        let mut parts: Vec<String> = Vec::new();
        for component in joined.components() {
            match component {
                Component::ParentDir => {
                    parts.pop();
                }
                Component::CurDir => {}
                other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
            }
        }
        Some(parts)
    };
    let (site, out) = (absolute(site)?, absolute(out)?);
    if site.first() != out.first() {
        return None;
    }
    let common = site.iter().zip(&out).take_while(|(a, b)| a == b).count();
    let mut link = "../".repeat(site.len() - common);
    for part in &out[common..] {
        link.push_str(part);
        link.push('/');
    }
    Some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_is_found_from_the_site_folder() {
        assert_eq!(
            export_link(Path::new("/x/out/site"), Path::new("/x/out")).as_deref(),
            Some("../")
        );
        assert_eq!(
            export_link(Path::new("/x/site"), Path::new("/x/out")).as_deref(),
            Some("../out/")
        );
        assert_eq!(
            export_link(Path::new("/x/out"), Path::new("/x/out")).as_deref(),
            Some("")
        );
        assert_eq!(
            export_link(Path::new("/a/b/../site"), Path::new("/a/out/./x")).as_deref(),
            Some("../out/x/")
        );
    }
}
