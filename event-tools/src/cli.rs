//! The command line of a catalog's export binary: [`main`] parses the arguments (with `clap`)
//! and runs one command on the catalog.
//!
//! ```text
//! export-schemas                 write schemas, bundle, topics, examples, Go, TypeScript, AsyncAPI, site
//! export-schemas --check         compare every event with its committed snapshots
//! export-schemas --accept        write snapshots of new events and compatible changes
//! export-schemas --layout        print every event's layout and write layout.json
//! export-schemas --apply-topics  create the catalog's topics on a cluster (feature `kafka`)
//! export-schemas --apply-acls    grant the services each domain declares (feature `kafka`)
//! export-schemas --publish-examples   send every example through the validating producer
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Parser, ValueEnum};

use crate::catalog::Catalog;
use crate::codegen::{self, Language};
use crate::export::{
    export_files, topic_access, topic_configs, write_files, write_sources, ExportFile,
};
use crate::layout_report;
use crate::modular::CORE_FOLDER;
use crate::site::{self, SiteOptions};
use crate::snapshot::{self, catalog_store, check_catalog, current_events};

const WRITES: &str = "\
WRITES (under the output folder):
    schemas/core/                    the envelope, its metadata and the shared types, a document each
    schemas/{domain}/{event}.json    each event's Draft 7 schema, referring to schemas/core/ ($ref)
    schemas/domains/{event}.json     the same, for cross-domain events
    self-contained/{folder}/{event}.json   each event's schema with every definition inside
    examples/{folder}/{event}.json   a realistic example of each event, valid against its schema
    topics/{topic}.json              each topic's Kafka configuration and its events
    acls/{topic}.json                who may write and read it: the domain's services, Kafka ACL bindings
    kafka-events-schema.json         one bundle accepting any event of the catalog
    go/                              Go module `kafkaevents`: structs, a round-trip test, cmd/sizes
    typescript/                      kafka-events.ts (types) and examples.test.ts
    asyncapi.json                    the AsyncAPI 3.0 document of the catalog
    site/                            the browsable catalog: index.html and a page per event (--site, --no-site)";

/// A language to generate, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LanguageArg {
    Go,
    Typescript,
    Asyncapi,
    None,
}

/// The arguments, as `clap` reads them.
#[derive(Debug, Parser)]
#[command(
    about = "Write the JSON Schemas, bundle, topic configurations, examples and generated code of the catalog",
    after_help = WRITES,
    group(ArgGroup::new("mode").args(["check", "accept", "layout", "apply_topics"])),
    group(ArgGroup::new("cluster").args(["apply_topics", "apply_acls", "publish_examples"]).multiple(true)),
)]
struct Args {
    /// Output folder (default: out/ beside the catalog); created if its parent exists.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Comma-separated languages to generate (default: all three).
    #[arg(long, value_name = "L", value_delimiter = ',', value_enum)]
    languages: Option<Vec<LanguageArg>>,
    /// Write the browsable catalog (a static site) to DIR instead of <out>/site.
    #[arg(long, value_name = "DIR", conflicts_with = "no_site")]
    site: Option<PathBuf>,
    /// Do not write the browsable catalog.
    #[arg(long)]
    no_site: bool,
    /// Print every event's fields in layout order, archived sizes and record size, and write
    /// layout.json to the output folder.
    #[arg(long)]
    layout: bool,
    /// Compare every event with its committed snapshots; exit 1 on problems.
    #[arg(long)]
    check: bool,
    /// Write snapshots of new events and compatible changes; refuse breaking ones.
    #[arg(long)]
    accept: bool,
    /// The snapshot folder for --check and --accept (default: the catalog's, schemas/).
    #[arg(long, value_name = "DIR")]
    schemas: Option<PathBuf>,
    /// Create the catalog's topics and their dead-letter topics (<topic>.dlq) on a cluster if
    /// missing; report (and exit 1 on) existing topics whose settings differ. Connects with
    /// --bootstrap, else --kafka-config, else KAFKA_BOOTSTRAP_SERVERS and the other KAFKA_*
    /// variables (KAFKA_SECURITY_PROTOCOL → security.protocol).
    #[arg(long)]
    apply_topics: bool,
    /// Create the ACL bindings that let each domain's declared services write, read and
    /// dead-letter its topics (acls/*.json) if missing; report (and exit 1 on) bindings on
    /// those topics and groups that the catalog does not declare. Needs a cluster with an
    /// authorizer and an admin principal. Connects like --apply-topics; runs after it.
    #[arg(long, conflicts_with_all = ["check", "accept", "layout"])]
    apply_acls: bool,
    /// With --apply-acls: delete the undeclared bindings instead of only reporting them.
    #[arg(long, visible_alias = "prune", requires = "apply_acls")]
    prune_acls: bool,
    /// Send every example (fresh event ids and timestamps) through the validating producer and
    /// report what the cluster acknowledged; exit 1 if any was not. Connects like
    /// --apply-topics; both may be given (topics first).
    #[arg(long, conflicts_with_all = ["check", "accept", "layout"])]
    publish_examples: bool,
    /// The cluster's bootstrap servers.
    #[arg(long, value_name = "HOST:PORT[,HOST:PORT]", requires = "cluster")]
    bootstrap: Option<String>,
    /// Kafka client properties (security.protocol, sasl.*, ssl.* …).
    #[arg(long, value_name = "FILE", requires = "cluster")]
    kafka_config: Option<PathBuf>,
    /// Instead of the configured 3 (e.g. 1 on a single broker).
    #[arg(long, value_name = "N", requires = "apply_topics", value_parser = clap::value_parser!(u16).range(1..))]
    replication_factor: Option<u16>,
    /// Use <topic>S instead of each topic (e.g. .staging), for --apply-topics and
    /// --publish-examples.
    #[arg(long, value_name = "S", requires = "cluster", value_parser = topic_suffix)]
    topic_suffix: Option<String>,
}

/// Validates `--topic-suffix`: Kafka allows `a-z A-Z 0-9 . _ -` in topic names.
fn topic_suffix(suffix: &str) -> Result<String, String> {
    let valid = !suffix.is_empty()
        && suffix.len() <= 100
        && suffix
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'));
    if valid {
        Ok(suffix.to_owned())
    } else {
        Err("expected 1 to 100 topic-name characters (a-z A-Z 0-9 . _ -), e.g. .staging".to_owned())
    }
}

/// What the cluster commands do, in this order: topics, ACLs, examples.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ClusterSteps {
    /// `--apply-topics`.
    pub apply_topics: bool,
    /// `--apply-acls`.
    pub apply_acls: bool,
    /// `--prune-acls`.
    pub prune_acls: bool,
    /// `--publish-examples`.
    pub publish_examples: bool,
}

/// How `--apply-topics` and `--publish-examples` reach the cluster, and which topics they use.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Connection {
    /// `--bootstrap`.
    pub bootstrap: Option<String>,
    /// `--kafka-config`.
    pub properties: Option<PathBuf>,
    /// `--replication-factor`.
    pub replication_factor: Option<u16>,
    /// `--topic-suffix`.
    pub topic_suffix: Option<String>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Write every file of the export (the default).
    Export {
        /// The output folder.
        out: PathBuf,
        /// The languages to generate.
        languages: Vec<Language>,
        /// Where the browsable catalog goes (`<out>/site` by default), or `None` for no site.
        site: Option<PathBuf>,
    },
    /// `--check`.
    Check {
        /// The snapshot folder.
        schemas: PathBuf,
    },
    /// `--accept`.
    Accept {
        /// The snapshot folder.
        schemas: PathBuf,
    },
    /// `--layout`.
    Layout {
        /// The output folder.
        out: PathBuf,
    },
    /// `--apply-topics`, `--apply-acls` and/or `--publish-examples`.
    Cluster {
        /// How to reach the cluster.
        connection: Connection,
        /// What to do there.
        steps: ClusterSteps,
    },
}

impl Args {
    fn into_command(self, catalog: &Catalog) -> Command {
        let out = self.out.unwrap_or_else(|| catalog.root().join("out"));
        let schemas = self
            .schemas
            .unwrap_or_else(|| catalog.snapshot_folder().to_owned());
        let steps = ClusterSteps {
            apply_topics: self.apply_topics,
            apply_acls: self.apply_acls,
            prune_acls: self.prune_acls,
            publish_examples: self.publish_examples,
        };
        if steps != ClusterSteps::default() {
            return Command::Cluster {
                connection: Connection {
                    bootstrap: self.bootstrap,
                    properties: self.kafka_config,
                    replication_factor: self.replication_factor,
                    topic_suffix: self.topic_suffix,
                },
                steps,
            };
        }
        if self.check {
            Command::Check { schemas }
        } else if self.accept {
            Command::Accept { schemas }
        } else if self.layout {
            Command::Layout { out }
        } else {
            let languages = match self.languages {
                None => Language::ALL.to_vec(),
                Some(list) => list
                    .into_iter()
                    .filter_map(|language| match language {
                        LanguageArg::Go => Some(Language::Go),
                        LanguageArg::Typescript => Some(Language::TypeScript),
                        LanguageArg::Asyncapi => Some(Language::AsyncApi),
                        LanguageArg::None => None,
                    })
                    .collect(),
            };
            let site = if self.no_site {
                None
            } else {
                Some(self.site.unwrap_or_else(|| out.join(site::SITE_FOLDER)))
            };
            Command::Export {
                out,
                languages,
                site,
            }
        }
    }
}

/// Parses `args` (the program name first) into a [`Command`] for `catalog`, or the `clap` error
/// (which prints the usage, or the help).
pub fn parse<I, T>(catalog: &Catalog, args: I) -> Result<Command, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let name = catalog.export_binary();
    let command = <Args as clap::CommandFactory>::command()
        .name(name.clone())
        .bin_name(name);
    let matches = command.try_get_matches_from(args)?;
    let args = <Args as clap::FromArgMatches>::from_arg_matches(&matches)?;
    Ok(args.into_command(catalog))
}

/// Runs the command line of the process on `catalog`: what a catalog's export binary calls.
/// Exits 0 on success, 1 when the command fails (the error is printed), 2 on a usage error.
pub fn main(catalog: &Catalog) -> ExitCode {
    match parse(catalog, std::env::args_os()) {
        Ok(command) => run(catalog, &command),
        Err(error) => {
            let _ = error.print();
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
    }
}

/// Runs `command` on `catalog`, printing what it did; exits 1 on failure.
pub fn run(catalog: &Catalog, command: &Command) -> ExitCode {
    let result = catalog
        .check_unique()
        .map_err(|e| format!("error: {e}"))
        .and_then(|()| match command {
            Command::Export {
                out,
                languages,
                site,
            } => export(catalog, out, languages, site.as_deref()),
            Command::Check { schemas } => check(&with_schemas(catalog, schemas)),
            Command::Accept { schemas } => accept(&with_schemas(catalog, schemas)),
            Command::Layout { out } => layout(catalog, out),
            Command::Cluster { connection, steps } => {
                crate::cluster::run(catalog, connection, steps)
            }
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn with_schemas(catalog: &Catalog, schemas: &Path) -> Catalog {
    catalog.clone().with_snapshot_folder(schemas)
}

fn check(catalog: &Catalog) -> Result<(), String> {
    let report = check_catalog(catalog).map_err(|e| format!("error: {e}"))?;
    if !report.problems.is_empty() {
        println!("{}", report.render(&catalog.accept_command()));
    }
    let folder = catalog.snapshot_folder().display();
    if report.passes() {
        println!("kafka-events: every schema matches its snapshot in {folder}");
        Ok(())
    } else {
        Err(format!(
            "error: the schemas do not match their snapshots in {folder}"
        ))
    }
}

fn accept(catalog: &Catalog) -> Result<(), String> {
    let events = current_events(catalog).map_err(|e| format!("error: {e}"))?;
    let written =
        snapshot::accept(&catalog_store(catalog), &events).map_err(|e| format!("error: {e}"))?;
    if written.is_empty() {
        println!("kafka-events: nothing to accept; every snapshot is up to date");
    }
    for file in &written {
        println!("accepted {file}");
    }
    Ok(())
}

fn layout(catalog: &Catalog, out: &Path) -> Result<(), String> {
    let mut layouts = Vec::new();
    let mut json_only = Vec::new();
    for event in catalog.events() {
        match layout_report::event_layout(event).map_err(|e| format!("error: {e}"))? {
            Some(layout) => layouts.push(layout),
            None => json_only.push(event.event_type()),
        }
    }
    print!("{}", layout_report::render(&layouts, &json_only));
    let json = serde_json::to_value(&layouts).map_err(|e| format!("error: {e}"))?;
    let files = [ExportFile {
        path: PathBuf::from("layout.json"),
        contents: json,
    }];
    write_files(out, &files).map_err(|e| format!("error: {e}"))?;
    println!(
        "kafka-events: layout report written to {}",
        out.join("layout.json").display()
    );
    Ok(())
}

fn export(
    catalog: &Catalog,
    out: &Path,
    languages: &[Language],
    site: Option<&Path>,
) -> Result<(), String> {
    let events = catalog.events();
    let mut files = export_files(catalog).map_err(|e| format!("error: {e}"))?;
    let (mut sources, generated_json) = codegen::generate(catalog, languages);
    let generated = sources.len() + generated_json.len();
    let alerts = crate::alerts::alert_files(events);
    let alert_count = alerts.len();
    sources.extend(alerts);
    files.extend(generated_json);
    let dashboards = crate::dashboards::dashboard_files(events);
    let dashboard_count = dashboards.len();
    files.extend(dashboards);
    // The site reads the snapshots: computed before anything is written, so an unreadable
    // snapshot leaves the export as it was.
    let site_files = match site {
        Some(folder) => {
            // Its parent must exist, or be the output folder (created below).
            let parent = folder.parent().filter(|p| !p.as_os_str().is_empty());
            if let Some(parent) = parent.filter(|p| *p != out && !p.exists()) {
                return Err(format!(
                    "error: site folder `{}` cannot be created: its parent `{}` does not exist",
                    folder.display(),
                    parent.display()
                ));
            }
            let options = SiteOptions {
                languages: languages.to_vec(),
                export_link: site::export_link(folder, out),
            };
            Some((
                folder,
                site::site_files(catalog, &options).map_err(|e| format!("error: {e}"))?,
            ))
        }
        None => None,
    };
    let mut summary = write_files(out, &files).map_err(|e| format!("error: {e}"))?;
    let source_summary = write_sources(out, &sources).map_err(|e| format!("error: {e}"))?;
    summary.written += source_summary.written;
    summary.unchanged += source_summary.unchanged;
    let site_pages = match &site_files {
        Some((folder, pages)) => {
            let written = write_sources(folder, pages).map_err(|e| format!("error: {e}"))?;
            summary.written += written.written;
            summary.unchanged += written.unchanged;
            format!(
                "; the browsable catalog, {} files: {}",
                pages.len(),
                folder.join("index.html").display()
            )
        }
        None => String::new(),
    };
    println!(
        "kafka-events: {} events exported to {}",
        events.len(),
        out.display()
    );
    let mut domains: Vec<&str> = events.iter().map(|e| e.descriptor.domain).collect();
    domains.sort_unstable();
    domains.dedup();
    for domain in domains {
        let in_domain = || events.iter().filter(|e| e.descriptor.domain == domain);
        let topic = in_domain()
            .next()
            .map(|e| e.descriptor.topic)
            .unwrap_or_default();
        println!(
            "  {domain:<8} {:>3} events  -> {topic}",
            in_domain().count()
        );
    }
    let languages = if languages.is_empty() {
        "no language".to_owned()
    } else {
        let names: Vec<&str> = languages.iter().map(|l| l.name()).collect();
        names.join(", ")
    };
    let core = files
        .iter()
        .filter(|file| {
            file.path
                .starts_with(Path::new("schemas").join(CORE_FOLDER))
        })
        .count();
    println!(
        "  files: {} written, {} unchanged ({} events: a schema, a self-contained schema and an example each; \
         {core} core schemas, {} topics, {} access rules, {alert_count} alert rule files, {dashboard_count} dashboards, 1 bundle, {generated} generated for {languages}){site_pages}",
        summary.written,
        summary.unchanged,
        events.len(),
        topic_configs(events).len(),
        topic_access(events, "").len(),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::new("test", "/catalog").with_export_binary("export-test")
    }

    fn parse_list(list: &[&str]) -> Result<Command, clap::Error> {
        parse(
            &catalog(),
            std::iter::once("export-test").chain(list.iter().copied()),
        )
    }

    fn error_of(list: &[&str]) -> String {
        parse_list(list).unwrap_err().to_string()
    }

    #[test]
    fn parses_the_commands_with_the_catalogs_defaults() {
        assert_eq!(
            parse_list(&[]).unwrap(),
            Command::Export {
                out: PathBuf::from("/catalog/out"),
                languages: Language::ALL.to_vec(),
                site: Some(PathBuf::from("/catalog/out/site")),
            }
        );
        assert_eq!(
            parse_list(&["--out", "x", "--languages", "go", "--site", "s"]).unwrap(),
            Command::Export {
                out: PathBuf::from("x"),
                languages: vec![Language::Go],
                site: Some(PathBuf::from("s")),
            }
        );
        assert_eq!(
            parse_list(&["--languages", "none", "--no-site"]).unwrap(),
            Command::Export {
                out: PathBuf::from("/catalog/out"),
                languages: Vec::new(),
                site: None,
            }
        );
        assert!(error_of(&["--site", "s", "--no-site"]).contains("cannot be used with"));
        assert_eq!(
            parse_list(&["--check"]).unwrap(),
            Command::Check {
                schemas: PathBuf::from("/catalog/schemas")
            }
        );
        assert_eq!(
            parse_list(&["--accept", "--schemas", "s"]).unwrap(),
            Command::Accept {
                schemas: PathBuf::from("s")
            }
        );
        assert!(matches!(
            parse_list(&["--layout"]),
            Ok(Command::Layout { .. })
        ));
    }

    #[test]
    fn parses_the_cluster_commands() {
        assert_eq!(
            parse_list(&[
                "--apply-topics",
                "--bootstrap",
                "k:9092",
                "--replication-factor",
                "1"
            ])
            .unwrap(),
            Command::Cluster {
                connection: Connection {
                    bootstrap: Some("k:9092".into()),
                    replication_factor: Some(1),
                    ..Connection::default()
                },
                steps: ClusterSteps {
                    apply_topics: true,
                    ..ClusterSteps::default()
                },
            }
        );
        assert_eq!(
            parse_list(&[
                "--publish-examples",
                "--topic-suffix",
                ".staging",
                "--apply-topics"
            ])
            .unwrap(),
            Command::Cluster {
                connection: Connection {
                    topic_suffix: Some(".staging".into()),
                    ..Connection::default()
                },
                steps: ClusterSteps {
                    apply_topics: true,
                    publish_examples: true,
                    ..ClusterSteps::default()
                },
            }
        );
        assert_eq!(
            parse_list(&["--apply-acls", "--prune-acls"]).unwrap(),
            Command::Cluster {
                connection: Connection::default(),
                steps: ClusterSteps {
                    apply_acls: true,
                    prune_acls: true,
                    ..ClusterSteps::default()
                },
            }
        );
        assert!(error_of(&["--prune-acls"]).contains("--apply-acls"));
        assert_eq!(
            parse_list(&["--apply-acls", "--prune"]).unwrap(),
            parse_list(&["--apply-acls", "--prune-acls"]).unwrap()
        );
        assert!(error_of(&["--apply-acls", "--check"]).contains("--check"));
    }

    #[test]
    fn rejects_what_does_not_go_together_naming_the_arguments() {
        assert!(error_of(&["--languages", "cobol"]).contains("cobol"));
        assert!(error_of(&["--out"]).contains("--out"));
        assert!(error_of(&["--bogus"]).contains("--bogus"));
        assert!(error_of(&["--check", "--accept"]).contains("--accept"));
        assert!(error_of(&["--publish-examples", "--topic-suffix", "a/b"])
            .contains("topic-name characters"));
        assert!(error_of(&["--publish-examples", "--check"]).contains("--check"));
        assert!(
            error_of(&["--publish-examples", "--replication-factor", "1"])
                .contains("--apply-topics")
        );
        assert!(error_of(&["--topic-suffix", ".staging"]).contains("--apply-topics"));
        assert!(error_of(&["--apply-topics", "--bootstrap"]).contains("--bootstrap"));
        assert!(error_of(&["--apply-topics", "--replication-factor", "0"]).contains("0"));
        assert!(error_of(&["--bootstrap", "k:9092"]).contains("--apply-topics"));
        assert!(error_of(&["--help"]).contains("--accept"));
    }

    #[test]
    fn the_usage_names_the_catalogs_binary() {
        assert!(error_of(&["--bogus"]).contains("export-test"));
    }
}
