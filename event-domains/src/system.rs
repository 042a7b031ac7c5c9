//! System: service health, infrastructure and performance metrics, deployments, and the audit
//! trail required by GDPR/CCPA.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use event_core::audit::{AccessSummary, AuditEvent};
use event_core::personal::Personal;
use event_core::{EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};
use uuid::{uuid, Uuid};

use crate::shared::{HealthStatus, Region};
use event_core::catalog::Example;

event_core::domain! {
    /// System: health, infrastructure metrics, audit records.
    ///
    /// An event without `key = ..` is keyed by its `session_id`, else its `player_id`.
    pub struct System {
        name: "system",
        topic: "game.system.events",
        partitions: 6,
        retention_days: 90,
        priority: Low,
        key_fields: [session_id, player_id],
        producers: ["system-monitor"],
        consumers: ["analytics", "operations"],
        dead_letter_readers: ["operations"],
    }
}

/// A service reported its health.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("system.service.health_reported", version = "1.0.0", binary)]
pub struct ServiceHealthReported {
    /// Service name, e.g. `combat-service`.
    #[event(min_length = 1, max_length = 64, pattern = "^[a-z][a-z0-9-]*$")]
    pub service: String,
    /// Instance (pod or host) that reported.
    #[event(min_length = 1, max_length = 128)]
    pub instance: String,
    /// Overall status.
    pub status: HealthStatus,
    /// Status of each dependency check, by check name.
    pub checks: BTreeMap<String, HealthStatus>,
    /// Seconds since the instance started.
    pub uptime_s: u64,
}

impl Example for ServiceHealthReported {
    fn example() -> Self {
        ServiceHealthReported {
            service: "combat-service".to_owned(),
            instance: "combat-service-7f9c6d-x2k4p".to_owned(),
            status: HealthStatus::Degraded,
            checks: BTreeMap::from([
                ("kafka".to_owned(), HealthStatus::Healthy),
                ("redis".to_owned(), HealthStatus::Degraded),
            ]),
            uptime_s: 262_144,
        }
    }
}

/// Unit of an infrastructure metric.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum MetricUnit {
    /// A plain count.
    Count,
    /// Bytes.
    Bytes,
    /// Milliseconds.
    Milliseconds,
    /// Percent (0–100).
    Percent,
    /// Events per second.
    PerSecond,
}

/// A host or cluster metric was sampled.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("system.infrastructure.metric_recorded", version = "1.0.0", binary)]
pub struct InfrastructureMetricRecorded {
    /// Host or cluster the sample is from.
    #[event(min_length = 1, max_length = 128)]
    pub host: String,
    /// Metric name, e.g. `cpu.utilisation`.
    #[event(min_length = 1, max_length = 128, pattern = "^[a-z][a-z0-9_.]*$")]
    pub metric: String,
    /// Sampled value.
    pub value: f64,
    /// Unit of the value.
    pub unit: MetricUnit,
    /// Region of the host.
    pub region: Region,
    /// Extra dimensions, e.g. `{"az": "eu-west-1b"}`.
    pub labels: BTreeMap<String, String>,
}

impl Example for InfrastructureMetricRecorded {
    fn example() -> Self {
        InfrastructureMetricRecorded {
            host: "kafka-broker-3.eu-west".to_owned(),
            metric: "disk.used".to_owned(),
            value: 71.4,
            unit: MetricUnit::Percent,
            region: Region::EuWest,
            labels: BTreeMap::from([("az".to_owned(), "eu-west-1b".to_owned())]),
        }
    }
}

/// What an audited actor did to personal data.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Viewed the data.
    Read,
    /// Exported it (e.g. a subject access request).
    Export,
    /// Changed it.
    Update,
    /// Erased it (right to be forgotten).
    Delete,
}

/// The GDPR Art. 6 lawful basis of a processing.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// The player consented.
    Consent,
    /// Needed to run the player's contract (the game service).
    Contract,
    /// Required by law.
    LegalObligation,
    /// The studio's legitimate interest (e.g. fraud prevention).
    LegitimateInterest,
}

/// Someone accessed personal data: the audit trail for GDPR/CCPA.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("system.audit.recorded", version = "1.1.0", data_subject = actor_id, binary)]
pub struct AuditRecorded {
    /// The audit record.
    pub audit_id: Uuid,
    /// Who accessed the data (employee or service account).
    pub actor_id: Uuid,
    /// The actor's role at the time, e.g. `support_agent`.
    #[event(min_length = 1, max_length = 64)]
    pub actor_role: String,
    /// What was done.
    pub action: AuditAction,
    /// What was accessed, e.g. `player_profile.email`.
    #[event(min_length = 1, max_length = 128)]
    pub resource: String,
    /// The data subject, when the data is a player's.
    pub subject_player_id: Option<Uuid>,
    /// Lawful basis of the processing.
    pub legal_basis: LegalBasis,
    /// Ticket or request that justified the access.
    #[event(max_length = 64)]
    pub justification: Option<String>,
    /// Client IP address of the actor: personal data, encrypted with the actor's key.
    #[event(pii, format = "ipv4")]
    pub client_ip: Option<Personal>,
    /// Whether access was granted.
    pub granted: bool,
}

impl Example for AuditRecorded {
    fn example() -> Self {
        AuditRecorded {
            audit_id: uuid!("d2f8b4a6-7e3c-4b1d-9a5f-8c6e2d4b7a19"),
            actor_id: uuid!("6b1d9f3e-2c8a-4e5b-a7d3-1f9c5e3a8b64"),
            actor_role: "support_agent".to_owned(),
            action: AuditAction::Export,
            resource: "player_profile.personal_data".to_owned(),
            subject_player_id: Some(uuid!("0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30")),
            legal_basis: LegalBasis::LegalObligation,
            justification: Some("DSAR-2026-11-0042".to_owned()),
            client_ip: Some("10.20.30.41".into()),
            granted: true,
        }
    }
}

/// A consumer read events: who, which partitions and offsets, how many of each event type and
/// how many personal fields it decrypted (published by `EventConsumer::with_audit` before each
/// commit).
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("system.audit.events_read", version = "1.0.0", binary)]
pub struct EventsRead {
    /// The audit record.
    pub audit_id: Uuid,
    /// When the first record of the summary was finished.
    pub window_start: DateTime<Utc>,
    /// When the last one was.
    pub window_end: DateTime<Utc>,
    /// The partitions read, each with the range of offsets finished.
    #[event(max_items = 10000)]
    pub partitions: Vec<PartitionRange>,
    /// Records handled per event type (dead-lettered ones under `dead_letter`).
    pub event_counts: BTreeMap<String, u64>,
    /// The consumer group.
    #[event(min_length = 1, max_length = 255)]
    pub consumer_group: String,
    /// The client's `client.id`.
    #[event(min_length = 1, max_length = 255)]
    pub client_id: String,
    /// The principal the cluster knows the client as, when the client's configuration names
    /// it (`User:<sasl.username>`).
    #[event(max_length = 255)]
    pub principal: Option<String>,
    /// Every record of the summary.
    pub records: u64,
    /// Personal fields decrypted.
    pub decrypted_fields: u64,
}

/// The offsets a consumer finished in one partition.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event(binary)]
pub struct PartitionRange {
    /// The topic.
    #[event(min_length = 1, max_length = 249)]
    pub topic: String,
    /// The first offset finished.
    pub first_offset: u64,
    /// The last offset finished.
    pub last_offset: u64,
    /// Records finished (fewer than the range where offsets were skipped, e.g. transaction
    /// markers).
    pub records: u64,
    /// The partition.
    pub partition: u32,
}

impl AuditEvent for EventsRead {
    fn from_access(summary: &AccessSummary) -> Self {
        EventsRead {
            audit_id: Uuid::new_v4(),
            window_start: summary.from,
            window_end: summary.to,
            partitions: summary
                .partitions
                .iter()
                .map(|read| PartitionRange {
                    topic: read.topic.clone(),
                    first_offset: u64::try_from(read.first_offset).unwrap_or_default(),
                    last_offset: u64::try_from(read.last_offset).unwrap_or_default(),
                    records: read.records,
                    partition: u32::try_from(read.partition).unwrap_or_default(),
                })
                .collect(),
            event_counts: summary.events.clone(),
            consumer_group: summary.group_id.clone(),
            client_id: summary.client_id.clone(),
            principal: summary.principal.clone(),
            records: summary.records(),
            decrypted_fields: summary.decrypted_fields,
        }
    }
}

impl Example for EventsRead {
    fn example() -> Self {
        EventsRead {
            audit_id: uuid!("4c7e1a93-8d2b-4f6e-b5a1-3e9d7c2f8a16"),
            window_start: event_core::catalog::example_time(0),
            window_end: event_core::catalog::example_time(1),
            partitions: vec![PartitionRange {
                topic: "game.social.events".to_owned(),
                first_offset: 1_204,
                last_offset: 1_240,
                records: 37,
                partition: 3,
            }],
            event_counts: BTreeMap::from([
                ("social.chat.message_sent".to_owned(), 35),
                ("social.friend.added".to_owned(), 2),
            ]),
            consumer_group: "analytics".to_owned(),
            client_id: "analytics-7d9f".to_owned(),
            principal: Some("User:analytics".to_owned()),
            records: 37,
            decrypted_fields: 35,
        }
    }
}

/// A service reported its request latency and throughput over a window.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("system.performance.metrics_reported", version = "1.0.0", binary)]
pub struct PerformanceMetricsReported {
    /// Service name.
    #[event(min_length = 1, max_length = 64, pattern = "^[a-z][a-z0-9-]*$")]
    pub service: String,
    /// Length of the window, in seconds.
    #[event(minimum = 1, maximum = 3600)]
    pub window_s: u32,
    /// Median latency, in milliseconds.
    #[event(minimum = 0.0)]
    pub p50_ms: f32,
    /// 99th percentile latency, in milliseconds.
    #[event(minimum = 0.0)]
    pub p99_ms: f32,
    /// 99.9th percentile latency, in milliseconds.
    #[event(minimum = 0.0)]
    pub p999_ms: f32,
    /// Events handled per second.
    pub throughput_per_s: u32,
    /// Share of failed requests, percent.
    #[event(minimum = 0.0, maximum = 100.0)]
    pub error_rate_percent: f32,
}

impl Example for PerformanceMetricsReported {
    fn example() -> Self {
        PerformanceMetricsReported {
            service: "combat-service".to_owned(),
            window_s: 60,
            p50_ms: 4.2,
            p99_ms: 31.5,
            p999_ms: 47.25,
            throughput_per_s: 21_340,
            error_rate_percent: 0.02,
        }
    }
}

/// A service version was rolled out.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("system.deployment.completed", version = "1.0.0", binary)]
pub struct DeploymentCompleted {
    /// Service name.
    #[event(min_length = 1, max_length = 64, pattern = "^[a-z][a-z0-9-]*$")]
    pub service: String,
    /// Version deployed.
    #[event(pattern = "^[0-9]+\\.[0-9]+\\.[0-9]+$")]
    pub version: String,
    /// Region rolled out to.
    pub region: Region,
    /// Rollout duration, in seconds.
    pub duration_s: u32,
    /// Whether the rollout was rolled back.
    pub rolled_back: bool,
}

impl Example for DeploymentCompleted {
    fn example() -> Self {
        DeploymentCompleted {
            service: "economy-service".to_owned(),
            version: "4.18.2".to_owned(),
            region: Region::NaEast,
            duration_s: 412,
            rolled_back: false,
        }
    }
}
