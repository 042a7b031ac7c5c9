//! Topic configuration, in Kafka's own config names so it can be applied with Kafka's tools.

use serde::Serialize;

use crate::access::Access;
use crate::domain::{Domain, Priority};

/// The settings of a domain's topic, as declared with the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicSettings {
    /// The base topic (major version 1).
    pub topic: &'static str,
    /// Partitions.
    pub partitions: u32,
    /// Retention in days.
    pub retention_days: u32,
    /// Priority of the domain's events.
    pub priority: Priority,
    /// Who may write and read the topic.
    pub access: Access,
}

impl TopicSettings {
    /// The settings declared by domain `D`.
    pub const fn of<D: Domain>() -> Self {
        TopicSettings {
            topic: D::TOPIC,
            partitions: D::PARTITIONS,
            retention_days: D::RETENTION_DAYS,
            priority: D::PRIORITY,
            access: D::ACCESS,
        }
    }
}

/// Replication factor of every topic: survives the loss of one broker while writes go on
/// (with `min.insync.replicas` = 2).
pub const REPLICATION_FACTOR: u16 = 3;
/// `min.insync.replicas`: with `acks=all`, a write is confirmed by two replicas.
pub const MIN_INSYNC_REPLICAS: u16 = 2;
/// `max.message.bytes`: 1 MiB, Kafka's default, far above any event of the catalog.
pub const MAX_MESSAGE_BYTES: u32 = 1_048_576;

/// The suffix of a topic's dead-letter topic: `game.combat.events` → `game.combat.events.dlq`
/// (the consumers of `event-kafka` write there; the exported access rules name it).
pub const DEAD_LETTER_SUFFIX: &str = ".dlq";

const MS_PER_DAY: u64 = 86_400_000;

/// A topic's configuration as Kafka's tools take it (`kafka-topics --config key=value`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicConfig {
    /// The topic name.
    pub topic: String,
    /// Partitions.
    pub partitions: u32,
    /// Replication factor.
    pub replication_factor: u16,
    /// Topic-level configs by their Kafka names; values are strings as Kafka writes them.
    pub config: Vec<(String, String)>,
}

impl TopicConfig {
    /// The configuration of `settings.topic` for events of major version `major`.
    ///
    /// ```
    /// use event_core::topic::{TopicConfig, TopicSettings};
    /// event_core::domain! {
    ///     pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High }
    /// }
    /// let config = TopicConfig::new(&TopicSettings::of::<Combat>(), 1);
    /// assert_eq!(config.topic, "game.combat.events");
    /// assert_eq!(config.get("retention.ms"), Some("604800000"));
    /// ```
    pub fn new(settings: &TopicSettings, major: u64) -> Self {
        let retention_ms = u64::from(settings.retention_days) * MS_PER_DAY;
        let config = [
            ("cleanup.policy", "delete".to_owned()),
            ("retention.ms", retention_ms.to_string()),
            ("min.insync.replicas", MIN_INSYNC_REPLICAS.to_string()),
            ("max.message.bytes", MAX_MESSAGE_BYTES.to_string()),
            ("compression.type", "lz4".to_owned()),
            ("message.timestamp.type", "CreateTime".to_owned()),
            ("unclean.leader.election.enable", "false".to_owned()),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
        TopicConfig {
            topic: crate::domain::versioned_topic(settings.topic, major),
            partitions: settings.partitions,
            replication_factor: REPLICATION_FACTOR,
            config,
        }
    }

    /// The value of one config key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.config
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The configs as a JSON object, in a fixed order.
    pub fn config_json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.config
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect(),
        )
    }
}
