//! Dead letters: where a record that cannot be read goes, the headers that say why, and the
//! reference record written when even the original does not fit.

use event_core::codec::DispatchError;
use event_core::topic::TopicConfig;
use rdkafka::message::{BorrowedHeaders, Header, OwnedHeaders};

use crate::headers::HeaderError;

pub use event_core::topic::DEAD_LETTER_SUFFIX;

/// Dead letters are kept at least this long (30 days), so someone can look at them.
pub const DEAD_LETTER_MIN_RETENTION_MS: u64 = 30 * 86_400_000;

/// Header: the [`DispatchError::kind`] (`malformed`, `invalid`, `unknown_event_type` …).
pub const ERROR_KIND_HEADER: &str = "dlq.error.kind";
/// Header: the error's message, capped at [`MAX_ERROR_TEXT_BYTES`]; never a field's value
/// (parse errors and the handler's errors lose what they quote:
/// [`without_values`](event_core::personal::without_values)).
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
/// Header, on a reference record only: why the original's key, value and headers were left
/// out (the dead letter with them was refused, e.g. larger than the topic takes).
pub const LEFT_OUT_HEADER: &str = "dlq.left.out";
/// Header, on a reference record only: the original value's size in bytes.
pub const ORIGINAL_VALUE_SIZE_HEADER: &str = "dlq.original.value.size";
/// Header, on a reference record only: the original key's size in bytes.
pub const ORIGINAL_KEY_SIZE_HEADER: &str = "dlq.original.key.size";

/// The most bytes `dlq.error.message` and `dlq.error.pointer` carry: longer texts (a serde
/// message quoting a huge string, thousands of violations joined) are cut at a character
/// boundary and end with `…`, so what the consumer adds to a dead letter stays small.
pub const MAX_ERROR_TEXT_BYTES: usize = 1024;

/// Why a record did not reach the handler and went to the dead-letter topic.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DeadLetterReason {
    /// Its headers cannot be read.
    #[error("unreadable headers: {0}")]
    Headers(#[from] HeaderError),
    /// It is not an event of the domain, or not a valid one.
    #[error(transparent)]
    Event(#[from] DispatchError),
    /// Its encrypted personal data cannot be read: the header or a field is malformed, or a
    /// field was altered (it does not decrypt with its key).
    #[error("personal data: {message}")]
    PersonalData {
        /// What is wrong (never a value).
        message: String,
    },
    /// The handler failed on it as many times as the
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
    #[error("the handler failed {attempts} times, last: {last_error}")]
    HandlerGaveUp {
        /// How many times the handler failed (or panicked) on the record.
        attempts: u32,
        /// The last failure, as the handler's error displays it, without what it quotes
        /// ([`without_values`](event_core::personal::without_values)).
        last_error: String,
    },
}

impl DeadLetterReason {
    /// A stable, machine-readable name of the reason, written as `dlq.error.kind`:
    /// `unreadable_headers`, `handler_failed`, or the [`DispatchError::kind`] of an event that
    /// cannot be read.
    pub fn kind(&self) -> &'static str {
        match self {
            DeadLetterReason::Headers(_) => "unreadable_headers",
            DeadLetterReason::Event(error) => error.kind(),
            DeadLetterReason::HandlerGaveUp { .. } => "handler_failed",
            DeadLetterReason::PersonalData { .. } => "personal_data",
        }
    }

    /// The JSON pointer of the first place the reason concerns, when it has one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            DeadLetterReason::Event(error) => error.pointer(),
            DeadLetterReason::Headers(_)
            | DeadLetterReason::HandlerGaveUp { .. }
            | DeadLetterReason::PersonalData { .. } => None,
        }
    }
}

/// `text` cut to at most [`MAX_ERROR_TEXT_BYTES`] at a character boundary, ending with `…`
/// when cut.
///
/// ```
/// let long = "x".repeat(5000);
/// let capped = event_kafka::capped_error_text(&long);
/// assert!(capped.len() <= event_kafka::MAX_ERROR_TEXT_BYTES);
/// assert!(capped.ends_with('…'));
/// assert_eq!(event_kafka::capped_error_text("short"), "short");
/// ```
pub fn capped_error_text(text: &str) -> String {
    if text.len() <= MAX_ERROR_TEXT_BYTES {
        return text.to_owned();
    }
    let ellipsis = '…';
    let mut end = MAX_ERROR_TEXT_BYTES - ellipsis.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut capped = String::with_capacity(end + ellipsis.len_utf8());
    capped.push_str(&text[..end]);
    capped.push(ellipsis);
    capped
}

/// The dead-letter topic of `topic` with `suffix` (usually [`DEAD_LETTER_SUFFIX`]).
///
/// ```
/// assert_eq!(event_kafka::dead_letter_topic("game.combat.events", ".dlq"), "game.combat.events.dlq");
/// ```
pub fn dead_letter_topic(topic: &str, suffix: &str) -> String {
    format!("{topic}{suffix}")
}

/// The configuration of `config`'s dead-letter topic (`<topic><suffix>`, usually
/// [`DEAD_LETTER_SUFFIX`]): the same partitions and settings, kept at least
/// [`DEAD_LETTER_MIN_RETENTION_MS`].
pub fn dead_letter_config(config: &TopicConfig, suffix: &str) -> TopicConfig {
    let mut dead_letters = config.clone();
    dead_letters.topic = dead_letter_topic(&config.topic, suffix);
    for (key, value) in &mut dead_letters.config {
        if key == "retention.ms" {
            let retention = value.parse::<u64>().unwrap_or(0);
            *value = retention.max(DEAD_LETTER_MIN_RETENTION_MS).to_string();
        }
    }
    dead_letters
}

/// `topics` followed by their dead-letter topics (`<topic><suffix>`, [`dead_letter_config`]):
/// everything a cluster needs for them. Pass the suffix the consumers use
/// ([`ConsumerOptions::dead_letter_suffix`](crate::ConsumerOptions::dead_letter_suffix)).
pub fn with_dead_letter_topics(topics: Vec<TopicConfig>, suffix: &str) -> Vec<TopicConfig> {
    let dead_letters: Vec<TopicConfig> = topics
        .iter()
        .map(|topic| dead_letter_config(topic, suffix))
        .collect();
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

/// The headers of a dead letter: the original record's headers, byte for byte (names need
/// not be UTF-8), then the `dlq.*` headers describing the error and where the record came
/// from, the error's texts capped at [`MAX_ERROR_TEXT_BYTES`].
pub(crate) fn dead_letter_headers(
    original: Option<&BorrowedHeaders>,
    reason: &DeadLetterReason,
    position: &RecordPosition,
    group_id: &str,
) -> OwnedHeaders {
    let headers = original.map(BorrowedHeaders::detach).unwrap_or_default();
    reason_headers(headers, reason, position, group_id)
}

/// The headers of a reference record, written instead of a dead letter the topic refused:
/// the `dlq.*` headers, the sizes of what was left out and why.
pub(crate) fn reference_headers(
    reason: &DeadLetterReason,
    position: &RecordPosition,
    group_id: &str,
    original: (Option<&[u8]>, &[u8]),
    refused: &str,
) -> OwnedHeaders {
    let (key, value) = original;
    let headers = reason_headers(OwnedHeaders::new(), reason, position, group_id);
    let left_out = capped_error_text(&format!(
        "key, value and headers left out: the dead letter with them was refused: {refused}"
    ));
    [
        (LEFT_OUT_HEADER, left_out.into_bytes()),
        (
            ORIGINAL_VALUE_SIZE_HEADER,
            value.len().to_string().into_bytes(),
        ),
        (
            ORIGINAL_KEY_SIZE_HEADER,
            key.map_or(0, <[u8]>::len).to_string().into_bytes(),
        ),
    ]
    .iter()
    .fold(headers, |headers, (name, value)| {
        headers.insert(Header {
            key: name,
            value: Some(value.as_slice()),
        })
    })
}

/// `headers` followed by the `dlq.*` headers of `reason` at `position`.
fn reason_headers(
    headers: OwnedHeaders,
    reason: &DeadLetterReason,
    position: &RecordPosition,
    group_id: &str,
) -> OwnedHeaders {
    let mut pairs: Vec<(&str, Vec<u8>)> = vec![
        (ERROR_KIND_HEADER, reason.kind().into()),
        (
            ERROR_MESSAGE_HEADER,
            capped_error_text(&reason.to_string()).into_bytes(),
        ),
    ];
    if let Some(pointer) = reason.pointer() {
        pairs.push((
            ERROR_POINTER_HEADER,
            capped_error_text(pointer).into_bytes(),
        ));
    }
    pairs.extend([
        (SOURCE_TOPIC_HEADER, position.topic.clone().into_bytes()),
        (
            SOURCE_PARTITION_HEADER,
            position.partition.to_string().into_bytes(),
        ),
        (
            SOURCE_OFFSET_HEADER,
            position.offset.to_string().into_bytes(),
        ),
        (CONSUMER_GROUP_HEADER, group_id.as_bytes().to_vec()),
    ]);
    pairs.iter().fold(headers, |headers, (name, value)| {
        headers.insert(Header {
            key: name,
            value: Some(value.as_slice()),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use event_core::topic::TopicSettings;
    use rdkafka::message::Headers;

    event_core::domain! {
        /// A domain of the tests.
        pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High }
    }

    #[test]
    fn dead_letter_topics_keep_partitions_and_keep_records_longer() {
        let source = TopicConfig::new(&TopicSettings::of::<Combat>(), 1);
        let dead_letters = dead_letter_config(&source, DEAD_LETTER_SUFFIX);
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
        let reason = DeadLetterReason::Event(DispatchError::UnknownEventType {
            event_type: "combat.player.dance".into(),
            domain: "combat",
        });
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

    #[test]
    fn error_texts_stay_under_their_cap_whatever_the_input() {
        let reason = DeadLetterReason::Event(DispatchError::UnknownEventType {
            event_type: "é".repeat(100_000),
            domain: "combat",
        });
        let position = RecordPosition {
            topic: "game.combat.events".into(),
            partition: 0,
            offset: 1,
        };
        let headers = dead_letter_headers(None, &reason, &position, "scoreboard");
        let message = headers
            .iter()
            .find(|h| h.key == ERROR_MESSAGE_HEADER)
            .and_then(|h| h.value)
            .expect("message");
        assert!(message.len() <= MAX_ERROR_TEXT_BYTES, "{}", message.len());
        assert!(std::str::from_utf8(message).expect("UTF-8").ends_with('…'));
    }

    #[test]
    fn a_malformed_value_is_dead_lettered_without_the_values_it_held() {
        // `damage` holds a player's name instead of a number: serde quotes it in its message.
        let value = br#"{"event_id":"0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30","event_type":"combat.player.attack","timestamp":"2026-11-20T18:04:12Z","version":"1.0.0","source":"s","data":{"damage":"Ada Lovelace"},"metadata":{}}"#;
        #[derive(event_core::KafkaEvent, serde::Serialize, serde::Deserialize, Debug)]
        #[event("combat.player.attack")]
        pub struct Attack {
            damage: u32,
        }
        let error = event_core::Envelope::<Attack>::from_json(value).unwrap_err();
        let error = DispatchError::Codec {
            event_type: "combat.player.attack",
            error,
        };
        let position = RecordPosition {
            topic: "game.combat.events".into(),
            partition: 0,
            offset: 1,
        };
        let headers = dead_letter_headers(None, &DeadLetterReason::Event(error), &position, "g");
        let message = headers
            .iter()
            .find(|h| h.key == ERROR_MESSAGE_HEADER)
            .and_then(|h| h.value)
            .expect("message");
        let message = String::from_utf8_lossy(message);
        assert!(!message.contains("Ada"), "{message}");
        assert!(message.contains("/data/damage"), "{message}");
    }
}
