//! Dead letters: where a record that cannot be decoded goes, and the headers that say why.

use event_core::codec::DispatchError;
use event_core::topic::TopicConfig;
use rdkafka::message::{BorrowedHeaders, Headers, OwnedHeaders};

/// The suffix of a topic's dead-letter topic: `game.combat.events` → `game.combat.events.dlq`.
pub const DEAD_LETTER_SUFFIX: &str = ".dlq";

/// Dead letters are kept at least this long (30 days), so someone can look at them.
pub const DEAD_LETTER_MIN_RETENTION_MS: u64 = 30 * 86_400_000;

/// Header: the [`DispatchError::kind`] (`malformed`, `invalid`, `unknown_event_type` …).
pub const ERROR_KIND_HEADER: &str = "dlq.error.kind";
/// Header: the error's message.
pub const ERROR_MESSAGE_HEADER: &str = "dlq.error.message";
/// Header: the JSON pointer the error concerns, when it has one.
pub const ERROR_POINTER_HEADER: &str = "dlq.error.pointer";
/// Header: the topic the record was read from.
pub const SOURCE_TOPIC_HEADER: &str = "dlq.source.topic";
/// Header: its partition.
pub const SOURCE_PARTITION_HEADER: &str = "dlq.source.partition";
/// Header: its offset.
pub const SOURCE_OFFSET_HEADER: &str = "dlq.source.offset";
/// Header: the consumer group that could not read it.
pub const CONSUMER_GROUP_HEADER: &str = "dlq.consumer.group";

/// The dead-letter topic of `topic` with `suffix` (usually [`DEAD_LETTER_SUFFIX`]).
///
/// ```
/// assert_eq!(event_kafka::dead_letter_topic("game.combat.events", ".dlq"), "game.combat.events.dlq");
/// ```
pub fn dead_letter_topic(topic: &str, suffix: &str) -> String {
    format!("{topic}{suffix}")
}

/// The configuration of `config`'s dead-letter topic: the same partitions and settings, kept
/// at least [`DEAD_LETTER_MIN_RETENTION_MS`].
pub fn dead_letter_config(config: &TopicConfig) -> TopicConfig {
    let mut dead_letters = config.clone();
    dead_letters.topic = dead_letter_topic(&config.topic, DEAD_LETTER_SUFFIX);
    for (key, value) in &mut dead_letters.config {
        if key == "retention.ms" {
            let retention = value.parse::<u64>().unwrap_or(0);
            *value = retention.max(DEAD_LETTER_MIN_RETENTION_MS).to_string();
        }
    }
    dead_letters
}

/// `topics` followed by their dead-letter topics ([`dead_letter_config`]): everything a
/// cluster needs for them.
pub fn with_dead_letter_topics(topics: Vec<TopicConfig>) -> Vec<TopicConfig> {
    let dead_letters: Vec<TopicConfig> = topics.iter().map(dead_letter_config).collect();
    topics.into_iter().chain(dead_letters).collect()
}

/// Where a record was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPosition {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The offset.
    pub offset: i64,
}

impl std::fmt::Display for RecordPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}@{}", self.topic, self.partition, self.offset)
    }
}

/// The headers of a dead letter: the original record's headers, then the `dlq.*` headers
/// describing the error and where the record came from.
pub(crate) fn dead_letter_headers(
    original: Option<&BorrowedHeaders>,
    reason: &DispatchError,
    position: &RecordPosition,
    group_id: &str,
) -> OwnedHeaders {
    let mut pairs: Vec<(String, Vec<u8>)> = original
        .map(|headers| {
            headers
                .iter()
                .map(|header| {
                    (
                        header.key.to_owned(),
                        header.value.unwrap_or_default().to_vec(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    pairs.push((ERROR_KIND_HEADER.into(), reason.kind().into()));
    pairs.push((ERROR_MESSAGE_HEADER.into(), reason.to_string().into_bytes()));
    if let Some(pointer) = reason.pointer() {
        pairs.push((ERROR_POINTER_HEADER.into(), pointer.as_bytes().to_vec()));
    }
    pairs.push((
        SOURCE_TOPIC_HEADER.into(),
        position.topic.clone().into_bytes(),
    ));
    pairs.push((
        SOURCE_PARTITION_HEADER.into(),
        position.partition.to_string().into_bytes(),
    ));
    pairs.push((
        SOURCE_OFFSET_HEADER.into(),
        position.offset.to_string().into_bytes(),
    ));
    pairs.push((CONSUMER_GROUP_HEADER.into(), group_id.as_bytes().to_vec()));
    crate::producer::headers(
        pairs
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_slice())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use event_core::topic::TopicSettings;

    event_core::domain! {
        /// A domain of the tests.
        pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High }
    }

    #[test]
    fn dead_letter_topics_keep_partitions_and_keep_records_longer() {
        let source = TopicConfig::new(&TopicSettings::of::<Combat>(), 1);
        let dead_letters = dead_letter_config(&source);
        assert_eq!(dead_letters.topic, "game.combat.events.dlq");
        assert_eq!(dead_letters.partitions, source.partitions);
        assert_eq!(dead_letters.get("retention.ms"), Some("2592000000"));
        assert_eq!(
            dead_letters.get("cleanup.policy"),
            source.get("cleanup.policy")
        );
    }

    #[test]
    fn headers_name_the_error_and_the_source() {
        let reason = DispatchError::UnknownEventType {
            event_type: "combat.player.dance".into(),
            domain: "combat",
        };
        let position = RecordPosition {
            topic: "game.combat.events".into(),
            partition: 3,
            offset: 42,
        };
        let headers = dead_letter_headers(None, &reason, &position, "scoreboard");
        let pairs: Vec<(String, String)> = headers
            .iter()
            .map(|h| {
                (
                    h.key.to_owned(),
                    String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                )
            })
            .collect();
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get(ERROR_KIND_HEADER), Some("unknown_event_type"));
        assert_eq!(get(ERROR_POINTER_HEADER), Some("/event_type"));
        assert_eq!(get(SOURCE_PARTITION_HEADER), Some("3"));
        assert_eq!(get(SOURCE_OFFSET_HEADER), Some("42"));
        assert_eq!(get(CONSUMER_GROUP_HEADER), Some("scoreboard"));
        assert!(get(ERROR_MESSAGE_HEADER)
            .unwrap()
            .contains("combat.player.dance"));
    }
}
