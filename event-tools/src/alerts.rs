//! Prometheus alerting rules from the catalog: `alerts/<topic>.rules.yml`, one group per topic,
//! with the consumer-side rules for each consumer the domain declares (or for every group when
//! it declares none) and the producer-side rule. The metrics are those of
//! [`event_core::metrics`].
//!
//! | alert | fires when | for |
//! |---|---|---|
//! | `KafkaEventsConsumerLag` | a group's lag on the topic (all partitions) > 10 000 records | 5 min |
//! | `KafkaEventsErrorRate` | (handler errors + dead letters) / records read > 5 %, over 5 min | 5 min |
//! | `KafkaEventsDeadLetters` | any record dead-lettered in the last 5 min | at once |
//! | `KafkaEventsProduceErrors` | any event not published in the last 5 min | at once |
//!
//! Severity follows the domain's priority: `critical` for high and critical, `warning` for
//! normal, `info` for low.

use std::fmt::Write as _;
use std::path::Path;

use event_core::metrics::{
    CONSUMED_TOTAL, CONSUMER_LAG, DEAD_LETTERED_TOTAL, GROUP, HANDLER_ERRORS_TOTAL,
    PRODUCE_ERRORS_TOTAL, SERVICE, TOPIC,
};
use event_core::Priority;

use crate::catalog::CatalogEvent;
use crate::codegen::SourceFile;
use crate::export::topic_configs;

/// Lag above which `KafkaEventsConsumerLag` fires (records, summed over the partitions).
pub const MAX_LAG: u64 = 10_000;
/// Share of failed records above which `KafkaEventsErrorRate` fires.
pub const MAX_ERROR_RATE: f64 = 0.05;
/// How long lag and error rate must stay above their limits: a rebalance or a deploy passes
/// in less.
pub const SUSTAINED: &str = "5m";
/// The window of the rates and increases.
pub const WINDOW: &str = "5m";

/// The Prometheus severity of a domain's alerts.
pub fn severity(priority: Priority) -> &'static str {
    match priority {
        Priority::High | Priority::Critical => "critical",
        Priority::Normal => "warning",
        Priority::Low => "info",
    }
}

/// One rules file per topic of the catalog.
pub fn alert_files(events: &[CatalogEvent]) -> Vec<SourceFile> {
    topic_configs(events)
        .into_iter()
        .filter_map(|config| {
            let event = events
                .iter()
                .find(|event| event.descriptor.topic == config.topic)?;
            let settings = &event.descriptor.topic_settings;
            Some(SourceFile {
                path: Path::new("alerts").join(format!("{}.rules.yml", config.topic)),
                text: rules(
                    &config.topic,
                    event.descriptor.domain,
                    settings.priority,
                    settings.access.consumers,
                ),
            })
        })
        .collect()
}

/// A PromQL string literal (JSON's escapes are PromQL's).
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// The regex of a declared consumer's groups: the ACLs grant it the groups whose names start
/// with its name.
fn group_pattern(consumer: &str) -> String {
    format!("{}.*", consumer.replace('.', "\\."))
}

struct Rule {
    alert: &'static str,
    expr: String,
    duration: Option<&'static str>,
    summary: String,
    runbook: &'static str,
}

fn consumer_rules(topic: &str, selector: &str) -> Vec<Rule> {
    let sum = |metric: &str, function: &str| {
        format!("sum by ({GROUP}) ({function}({metric}{{{selector}}}[{WINDOW}]))")
    };
    let read = sum(CONSUMED_TOTAL, "rate");
    // A counter that never moved may have no series yet: count it as zero, per group.
    let or_zero = |metric: &str| format!("({} or ({read} * 0))", sum(metric, "rate"));
    vec![
        Rule {
            alert: "KafkaEventsConsumerLag",
            expr: format!("sum by ({GROUP}) ({CONSUMER_LAG}{{{selector}}}) > {MAX_LAG}"),
            duration: Some(SUSTAINED),
            summary: format!(
                "group {{{{ $labels.group }}}} is {{{{ $value }}}} records behind on {topic}"
            ),
            runbook: "The group reads slower than the topic is written. Check the consumers \
                are running and not failing (error rate), then scale the group up to the topic's \
                partition count; lag that only grows means the handler is too slow.",
        },
        Rule {
            alert: "KafkaEventsErrorRate",
            expr: format!(
                "({} + {}) / {read} > {MAX_ERROR_RATE}",
                or_zero(HANDLER_ERRORS_TOTAL),
                or_zero(DEAD_LETTERED_TOTAL)
            ),
            duration: Some(SUSTAINED),
            summary: format!(
                "group {{{{ $labels.group }}}} fails on {{{{ $value | humanizePercentage }}}} of the records of {topic}"
            ),
            runbook: "Handler errors and dead letters are more than 5 % of the records read. \
                Read the consumer's errors and the dead letters' dlq.error.kind: one producer \
                writing invalid events, or a dependency of the handler that is down.",
        },
        Rule {
            alert: "KafkaEventsDeadLetters",
            expr: format!("sum by ({GROUP}) (increase({DEAD_LETTERED_TOTAL}{{{selector}}}[{WINDOW}])) > 0"),
            duration: None,
            summary: format!(
                "group {{{{ $labels.group }}}} dead-lettered records of {topic} in the last 5 minutes"
            ),
            runbook: "Records went to the topic's .dlq topic: read their dlq.error.kind, \
                dlq.error.pointer and dlq.source.* headers, fix the cause, then replay them.",
        },
    ]
}

fn rules(topic: &str, domain: &str, priority: Priority, consumers: &[&str]) -> String {
    let topic_label = format!("{TOPIC}={}", quoted(topic));
    let mut rules: Vec<(Rule, Option<&str>)> = Vec::new();
    if consumers.is_empty() {
        rules.extend(
            consumer_rules(topic, &topic_label)
                .into_iter()
                .map(|r| (r, None)),
        );
    } else {
        for consumer in consumers {
            let selector = format!(
                "{topic_label}, {GROUP}=~{}",
                quoted(&group_pattern(consumer))
            );
            rules.extend(
                consumer_rules(topic, &selector)
                    .into_iter()
                    .map(|r| (r, Some(*consumer))),
            );
        }
    }
    rules.push((
        Rule {
            alert: "KafkaEventsProduceErrors",
            expr: format!(
                "sum by ({SERVICE}) (increase({PRODUCE_ERRORS_TOTAL}{{{topic_label}}}[{WINDOW}])) > 0"
            ),
            duration: None,
            summary: format!(
                "service {{{{ $labels.service }}}} could not publish events to {topic} in the last 5 minutes"
            ),
            runbook: "Events were refused (invalid, unauthorized, personal data without keys) \
                or not acknowledged by the cluster: read the producer's ProduceError kinds.",
        },
        None,
    ));

    let mut out = format!(
        "# Alerting rules for {topic} (domain {domain}, priority {}), written by export-schemas.\n\
         # The metrics are kafka-events' (event_core::metrics); see docs/observability.md.\n\
         groups:\n  - name: {}\n    rules:\n",
        priority.as_str(),
        quoted(topic)
    );
    for (rule, consumer) in rules {
        let _ = writeln!(out, "      - alert: {}", rule.alert);
        let _ = writeln!(out, "        expr: {}", quoted(&rule.expr));
        if let Some(duration) = rule.duration {
            let _ = writeln!(out, "        for: {duration}");
        }
        let _ = writeln!(out, "        labels:");
        let _ = writeln!(out, "          severity: {}", severity(priority));
        let _ = writeln!(out, "          {TOPIC}: {}", quoted(topic));
        let _ = writeln!(out, "          domain: {}", quoted(domain));
        if let Some(consumer) = consumer {
            let _ = writeln!(out, "          consumer: {}", quoted(consumer));
        }
        let _ = writeln!(out, "        annotations:");
        let _ = writeln!(out, "          summary: {}", quoted(&rule.summary));
        let _ = writeln!(out, "          runbook: {}", quoted(rule.runbook));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_consumer_gets_its_rules_and_the_producer_rule_comes_once() {
        let text = rules(
            "game.combat.events",
            "combat",
            Priority::High,
            &["analytics", "anti.cheat"],
        );
        assert_eq!(text.matches("alert: KafkaEventsConsumerLag").count(), 2);
        assert_eq!(text.matches("alert: KafkaEventsProduceErrors").count(), 1);
        assert!(text.contains(r#"group=~\"anti\\\\.cheat.*\""#), "{text}");
        assert!(text.contains("> 10000"));
        assert!(text.contains("severity: critical"));
    }

    #[test]
    fn without_declared_consumers_the_rules_cover_every_group() {
        let text = rules("game.player.events", "player", Priority::Low, &[]);
        assert_eq!(text.matches("alert: KafkaEventsConsumerLag").count(), 1);
        assert!(!text.contains("group=~"));
        assert!(text.contains("severity: info"));
    }
}
