//! Grafana dashboards from the catalog: `dashboards/<domain>.json`, one per domain, over the
//! metrics of [`event_core::metrics`] on the domain's topics: throughput produced and consumed,
//! end-to-end and delivery latency percentiles, errors, and lag per consumer group (with the
//! alert's 10 000-record line).

use std::path::Path;

use event_core::metrics::{
    CONSUMED_TOTAL, CONSUMER_LAG, DEAD_LETTERED_TOTAL, DELIVERY_SECONDS, END_TO_END_SECONDS,
    EVENT_TYPE, GROUP, HANDLER_ERRORS_TOTAL, HANDLER_SECONDS, PRODUCED_TOTAL, PRODUCE_ERRORS_TOTAL,
    SERVICE, TOPIC,
};
use serde_json::{json, Value};

use crate::alerts::{MAX_LAG, WINDOW};
use crate::catalog::CatalogEvent;
use crate::export::{topic_configs, ExportFile};

/// The title of each panel of a dashboard, in order.
pub const PANELS: [&str; 6] = [
    "Throughput produced (events/s)",
    "Throughput consumed (records/s)",
    "End-to-end latency (p50, p99)",
    "Delivery and handler latency (p99)",
    "Errors (per second)",
    "Consumer lag (records)",
];

/// One dashboard per domain of the catalog, domains in name order.
pub fn dashboard_files(events: &[CatalogEvent]) -> Vec<ExportFile> {
    let configs = topic_configs(events);
    let mut domains: Vec<&str> = events.iter().map(|event| event.descriptor.domain).collect();
    domains.sort_unstable();
    domains.dedup();
    domains
        .into_iter()
        .map(|domain| {
            let topics: Vec<&str> = configs
                .iter()
                .filter(|config| {
                    events.iter().any(|event| {
                        event.descriptor.domain == domain && event.descriptor.topic == config.topic
                    })
                })
                .map(|config| config.topic.as_str())
                .collect();
            ExportFile {
                path: Path::new("dashboards").join(format!("{domain}.json")),
                contents: dashboard(domain, &topics),
            }
        })
        .collect()
}

/// The PromQL selector of the domain's topics.
fn topic_selector(topics: &[&str]) -> String {
    let alternatives: Vec<String> = topics
        .iter()
        .map(|topic| topic.replace('.', "\\\\."))
        .collect();
    format!("{TOPIC}=~\"{}\"", alternatives.join("|"))
}

/// A query of a panel; its `refId` is given by its place in the panel ([`panel`]).
fn target(expr: String, legend: &str) -> Value {
    json!({
        "datasource": { "type": "prometheus", "uid": "${datasource}" },
        "expr": expr,
        "legendFormat": legend,
    })
}

fn panel(id: usize, unit: &str, mut targets: Vec<Value>, thresholds: Option<u64>) -> Value {
    // Grafana names a panel's queries A, B, C …
    for (target, ref_id) in targets.iter_mut().zip('A'..='Z') {
        target["refId"] = json!(ref_id.to_string());
    }
    let mut steps = vec![json!({ "color": "green", "value": null })];
    if let Some(limit) = thresholds {
        steps.push(json!({ "color": "red", "value": limit }));
    }
    json!({
        "id": id + 1,
        "type": "timeseries",
        "title": PANELS[id],
        "gridPos": { "h": 8, "w": 12, "x": (id % 2) * 12, "y": (id / 2) * 8 },
        "datasource": { "type": "prometheus", "uid": "${datasource}" },
        "fieldConfig": {
            "defaults": {
                "unit": unit,
                "custom": { "thresholdsStyle": { "mode": if thresholds.is_some() { "line" } else { "off" } } },
                "thresholds": { "mode": "absolute", "steps": steps },
            },
            "overrides": [],
        },
        "targets": targets,
    })
}

fn quantile(q: f64, metric: &str, selector: &str, by: &str) -> String {
    format!(
        "histogram_quantile({q}, sum by (le, {by}) (rate({metric}_bucket{{{selector}}}[{WINDOW}])))"
    )
}

fn dashboard(domain: &str, topics: &[&str]) -> Value {
    let selector = topic_selector(topics);
    let rate =
        |metric: &str, by: &str| format!("sum by ({by}) (rate({metric}{{{selector}}}[{WINDOW}]))");
    let panels = vec![
        panel(
            0,
            "ops",
            vec![target(
                rate(PRODUCED_TOTAL, &format!("{SERVICE}, {EVENT_TYPE}")),
                "{{service}} {{event_type}}",
            )],
            None,
        ),
        panel(
            1,
            "ops",
            vec![target(
                rate(CONSUMED_TOTAL, &format!("{GROUP}, {EVENT_TYPE}")),
                "{{group}} {{event_type}}",
            )],
            None,
        ),
        panel(
            2,
            "s",
            vec![
                target(
                    quantile(0.5, END_TO_END_SECONDS, &selector, GROUP),
                    "p50 {{group}}",
                ),
                target(
                    quantile(0.99, END_TO_END_SECONDS, &selector, GROUP),
                    "p99 {{group}}",
                ),
            ],
            None,
        ),
        panel(
            3,
            "s",
            vec![
                target(
                    quantile(0.99, DELIVERY_SECONDS, &selector, SERVICE),
                    "delivery p99 {{service}}",
                ),
                target(
                    quantile(0.99, HANDLER_SECONDS, &selector, GROUP),
                    "handler p99 {{group}}",
                ),
            ],
            None,
        ),
        panel(
            4,
            "ops",
            vec![
                target(
                    rate(HANDLER_ERRORS_TOTAL, GROUP),
                    "handler errors {{group}}",
                ),
                target(
                    rate(DEAD_LETTERED_TOTAL, &format!("{GROUP}, kind")),
                    "dead letters {{group}} {{kind}}",
                ),
                target(
                    rate(PRODUCE_ERRORS_TOTAL, &format!("{SERVICE}, kind")),
                    "produce errors {{service}} {{kind}}",
                ),
            ],
            None,
        ),
        panel(
            5,
            "short",
            vec![target(
                format!("sum by ({GROUP}) ({CONSUMER_LAG}{{{selector}}})"),
                "{{group}}",
            )],
            Some(MAX_LAG),
        ),
    ];
    json!({
        "uid": format!("kafka-events-{domain}"),
        "title": format!("kafka-events: {domain}"),
        "tags": ["kafka-events", domain],
        "schemaVersion": 39,
        "editable": true,
        "time": { "from": "now-1h", "to": "now" },
        "refresh": "30s",
        "templating": {
            "list": [{
                "name": "datasource",
                "type": "datasource",
                "query": "prometheus",
                "label": "Prometheus",
            }],
        },
        "panels": panels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dashboard_has_its_panels_over_the_domains_topics() {
        let text = serde_json::to_string(&dashboard(
            "combat",
            &["game.combat.events", "game.combat.events.v2"],
        ))
        .expect("json");
        let read: Value = serde_json::from_str(&text).expect("it loads as JSON");
        let titles: Vec<&str> = read["panels"]
            .as_array()
            .expect("panels")
            .iter()
            .map(|panel| panel["title"].as_str().expect("title"))
            .collect();
        assert_eq!(titles, PANELS);
        let exprs: Vec<&str> = read["panels"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|panel| panel["targets"].as_array().into_iter().flatten())
            .map(|target| target["expr"].as_str().expect("expr"))
            .collect();
        for expr in &exprs {
            assert!(
                expr.contains(r#"topic=~"game\\.combat\\.events|game\\.combat\\.events\\.v2""#),
                "{expr}"
            );
            assert_eq!(
                expr.matches('(').count(),
                expr.matches(')').count(),
                "{expr}"
            );
        }
        assert!(exprs
            .iter()
            .any(|expr| expr.starts_with("histogram_quantile(0.99")));
        assert!(exprs.contains(&r#"sum by (group) (kafka_events_consumer_lag{topic=~"game\\.combat\\.events|game\\.combat\\.events\\.v2"})"#));
        assert_eq!(
            read["panels"][5]["fieldConfig"]["defaults"]["thresholds"]["steps"][1]["value"],
            10_000
        );
        assert_eq!(read["uid"], "kafka-events-combat");
        let ref_ids: Vec<&str> = read["panels"][4]["targets"]
            .as_array()
            .expect("targets")
            .iter()
            .map(|target| target["refId"].as_str().expect("refId"))
            .collect();
        assert_eq!(ref_ids, ["A", "B", "C"]);
    }
}
