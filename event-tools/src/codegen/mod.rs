//! Code for other languages, generated from the catalog's schemas: Go structs, TypeScript
//! types and an AsyncAPI 3.0 document. Every file is deterministic and says it is generated.

pub mod asyncapi;
pub mod go;
pub mod model;
pub mod typescript;

use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::export::ExportFile;

/// A generated source file (text, not JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the output folder.
    pub path: PathBuf,
    /// The text.
    pub text: String,
}

/// The languages `export-schemas` can generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Go structs (`go/`).
    Go,
    /// TypeScript types (`typescript/`).
    TypeScript,
    /// AsyncAPI 3.0 (`asyncapi.json`).
    AsyncApi,
}

impl Language {
    /// Every language.
    pub const ALL: [Language; 3] = [Language::Go, Language::TypeScript, Language::AsyncApi];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Language::Go => "go",
            Language::TypeScript => "typescript",
            Language::AsyncApi => "asyncapi",
        }
    }

    /// The language named `name`.
    pub fn from_name(name: &str) -> Option<Language> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// The generated files of `languages`: sources, and JSON files for AsyncAPI.
pub fn generate(catalog: &Catalog, languages: &[Language]) -> (Vec<SourceFile>, Vec<ExportFile>) {
    let events = catalog.events();
    let model = model::CodeModel::read(catalog);
    let catalog = &model;
    let mut sources = Vec::new();
    let mut json = Vec::new();
    for language in languages {
        match language {
            Language::Go => {
                sources.push(SourceFile {
                    path: "go/go.mod".into(),
                    text: go::go_mod(),
                });
                sources.push(SourceFile {
                    path: "go/events.go".into(),
                    text: go::package(catalog),
                });
                sources.push(SourceFile {
                    path: "go/events_test.go".into(),
                    text: go::examples_test(catalog),
                });
                sources.push(SourceFile {
                    path: "go/cmd/sizes/main.go".into(),
                    text: go::sizes_program(catalog),
                });
            }
            Language::TypeScript => {
                let examples: Vec<(String, serde_json::Value)> = events
                    .iter()
                    .map(|e| (e.event_type().to_owned(), (e.example_envelope)()))
                    .collect();
                sources.push(SourceFile {
                    path: "typescript/kafka-events.ts".into(),
                    text: typescript::types(catalog),
                });
                sources.push(SourceFile {
                    path: "typescript/examples.test.ts".into(),
                    text: typescript::examples_test(catalog, &examples),
                });
            }
            Language::AsyncApi => json.push(ExportFile {
                path: "asyncapi.json".into(),
                contents: asyncapi::document(catalog, events),
            }),
        }
    }
    (sources, json)
}
