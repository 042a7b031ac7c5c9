//! An event's version history from its committed snapshots: every version, and between two
//! consecutive ones the checker's change list, compatible and breaking changes apart.

use std::fmt::Write as _;

use super::html::{code, escape, table};
use crate::snapshot::{SemVer, Snapshot, GATE_OPTIONS};
use event_core::compat::{check_history_with, Change, CompatMode};

/// What changed from one version to the next.
pub struct Step {
    /// The earlier version.
    pub from: SemVer,
    /// The later version.
    pub to: SemVer,
    /// The checker's changes (each knows whether it breaks the mode's reader), or why they
    /// could not be listed.
    pub changes: Result<Vec<Change>, String>,
}

/// The steps between consecutive `versions` (oldest first), checked in `mode` with the
/// gate's options.
pub fn steps(versions: &[Snapshot], mode: CompatMode) -> Vec<Step> {
    versions
        .windows(2)
        .map(|pair| {
            let (older, newer) = (&pair[0], &pair[1]);
            let changes = check_history_with(
                std::slice::from_ref(&older.schema),
                &newer.schema,
                mode,
                GATE_OPTIONS,
            )
            .map(|report| report.changes().to_vec())
            .map_err(|error| error.to_string());
            Step {
                from: older.version.clone(),
                to: newer.version.clone(),
                changes,
            }
        })
        .collect()
}

/// The history section of an event page. `current` is the version the code declares: it is
/// marked, or named as not accepted yet.
pub fn history_section(versions: &[Snapshot], mode: CompatMode, current: &SemVer) -> String {
    let mut out = String::from(
        "<section aria-labelledby=\"history\">\n<h2 id=\"history\">Version history</h2>\n",
    );
    let _ = writeln!(
        out,
        "<p>Compatibility mode {}: every change below is judged for that reader.</p>",
        code(&mode.to_string())
    );
    if versions.is_empty() {
        let _ = writeln!(
            out,
            "<p>No version is accepted yet: {} has no snapshot.</p>",
            escape(&current.to_string())
        );
    }
    out.push_str("<ol class=\"versions\">\n");
    for snapshot in versions {
        let mark = if &snapshot.version == current {
            " (current)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<li>{}{mark}: {}</li>",
            escape(&snapshot.version.to_string()),
            code(&snapshot.file)
        );
    }
    if !versions.iter().any(|s| &s.version == current) {
        let _ = writeln!(
            out,
            "<li>{} (current, not accepted yet)</li>",
            escape(&current.to_string())
        );
    }
    out.push_str("</ol>\n");
    for step in steps(versions, mode) {
        out.push_str(&step_html(&step));
    }
    out.push_str("</section>\n");
    out
}

fn step_html(step: &Step) -> String {
    let title = format!("From {} to {}", step.from, step.to);
    let mut out = format!("<h3>{}</h3>\n", escape(&title));
    match &step.changes {
        Err(error) => {
            let _ = writeln!(
                out,
                "<p>The changes could not be listed: {}</p>",
                escape(error)
            );
        }
        Ok(changes) if changes.is_empty() => {
            out.push_str("<p>No change in validation (the documents differ only where no reader looks).</p>\n");
        }
        Ok(changes) => {
            let breaking = changes.iter().filter(|c| !c.compatible).count();
            let _ = writeln!(
                out,
                "<p>{} change{}: {} compatible, {} breaking.</p>",
                changes.len(),
                if changes.len() == 1 { "" } else { "s" },
                changes.len() - breaking,
                breaking
            );
            let rows: Vec<Vec<String>> = changes
                .iter()
                .map(|change| {
                    let verdict = if change.compatible {
                        "<span class=\"compatible\">compatible</span>"
                    } else {
                        "<span class=\"breaking\">breaking</span>"
                    };
                    vec![
                        code(change.kind.name()),
                        code(&change.pointer),
                        verdict.to_owned(),
                        escape(&change.sentence()),
                    ]
                })
                .collect();
            out.push_str(&table(
                &title,
                &["change", "where", "verdict", "what it means"],
                &rows,
            ));
        }
    }
    out
}
