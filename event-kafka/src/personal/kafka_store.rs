//! [`KafkaKeyStore`]: the data keys in a compacted Kafka topic, shared by every service and
//! kept across restarts (where Confluent keeps its data keys too).
//!
//! One record per data key, keyed `<subject>/<version>` (hex), its value Confluent's DEK
//! fields (`subject`, `version`, `kekName`, `algorithm`, `encryptedKeyMaterial`). Erasing a
//! subject writes a tombstone per key and a `<subject>/erased` marker; compaction then removes
//! the wrapped keys from the log.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use event_core::topic::TopicConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Message, OwnedHeaders};
use rdkafka::{Offset, TopicPartitionList};

use super::store::{DataKeyStore, KeyStoreError, SubjectKeys, WrappedKey};
use crate::config::create_client;
use crate::{EventProducer, KafkaConfig};

/// The data-key topic's default name.
pub const DATA_KEY_TOPIC: &str = "kafka-events.data-keys";

/// How long an erased key may stay in the topic's log before compaction removes it: the
/// topic's `max.compaction.lag.ms` (one day).
pub const MAX_COMPACTION_LAG_MS: u64 = 86_400_000;

/// The data-key topic: one partition (one order for every writer), compacted, its segments
/// rolled hourly and compacted within a day (`max.compaction.lag.ms`) of a write, so an erased key's
/// record leaves the disk within about a day.
///
/// ```
/// let config = event_kafka::personal::data_key_topic_config(event_kafka::personal::DATA_KEY_TOPIC, 3);
/// assert_eq!(config.get("cleanup.policy"), Some("compact"));
/// assert_eq!(config.partitions, 1);
/// ```
pub fn data_key_topic_config(topic: &str, replication_factor: u16) -> TopicConfig {
    let config = [
        ("cleanup.policy", "compact".to_owned()),
        ("max.compaction.lag.ms", MAX_COMPACTION_LAG_MS.to_string()),
        ("segment.ms", "3600000".to_owned()),
        ("min.cleanable.dirty.ratio", "0.01".to_owned()),
        (
            "min.insync.replicas",
            replication_factor.clamp(1, 2).to_string(),
        ),
    ];
    TopicConfig {
        topic: topic.to_owned(),
        partitions: 1,
        replication_factor,
        config: config
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    }
}

/// How often [`DataKeyStore::keys_of`] reads what other writers added.
const REFRESH: Duration = Duration::from_secs(1);

/// A data key as stored (Confluent's DEK fields).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredKey {
    subject: String,
    version: u32,
    kek_name: String,
    algorithm: String,
    encrypted_key_material: String,
}

/// The erasure marker.
#[derive(serde::Serialize, serde::Deserialize)]
struct Erased {
    subject: String,
    erased: bool,
}

const ERASED_SUFFIX: &str = "erased";

/// The data keys in a compacted topic (provision it with [`data_key_topic_config`]): read
/// from its beginning when opened, then followed.
pub struct KafkaKeyStore {
    topic: String,
    producer: EventProducer,
    timeout: Duration,
    state: Mutex<State>,
}

struct State {
    consumer: BaseConsumer,
    subjects: HashMap<String, SubjectKeys>,
    refreshed: Option<Instant>,
}

impl std::fmt::Debug for KafkaKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaKeyStore")
            .field("topic", &self.topic)
            .finish_non_exhaustive()
    }
}

fn store_error(what: &str, error: impl std::fmt::Display) -> KeyStoreError {
    KeyStoreError(format!("{what}: {error}"))
}

impl KafkaKeyStore {
    /// The store in `topic` of the cluster of `config`, read up to its end within `timeout`
    /// (each later read and write waits up to `timeout` too).
    pub fn open(
        config: &KafkaConfig,
        topic: &str,
        timeout: Duration,
    ) -> Result<Self, KeyStoreError> {
        let producer =
            EventProducer::new(config).map_err(|e| store_error("cannot create the producer", e))?;
        let group = format!("kafka-events-data-keys-{}", std::process::id());
        let settings = [
            ("group.id", group.as_str()),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "false"),
            ("isolation.level", "read_committed"),
        ];
        let consumer: BaseConsumer = create_client(&config.client_config(&settings), "consumer")
            .map_err(|e| store_error("cannot create the consumer", e))?;
        let store = KafkaKeyStore {
            topic: topic.to_owned(),
            producer,
            timeout,
            state: Mutex::new(State {
                consumer,
                subjects: HashMap::new(),
                refreshed: None,
            }),
        };
        {
            let mut state = store.state();
            store.assign(&state.consumer)?;
            store.catch_up(&mut state)?;
        }
        Ok(store)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn assign(&self, consumer: &BaseConsumer) -> Result<(), KeyStoreError> {
        let metadata = consumer
            .fetch_metadata(Some(&self.topic), self.timeout)
            .map_err(|e| store_error("cannot read the topic's metadata", e))?;
        let partitions = metadata
            .topics()
            .iter()
            .find(|t| t.name() == self.topic && t.error().is_none())
            .map(|t| t.partitions().len())
            .filter(|count| *count > 0)
            .ok_or_else(|| {
                KeyStoreError(format!(
                    "the data-key topic {} does not exist (provision it with data_key_topic_config)",
                    self.topic
                ))
            })?;
        let mut list = TopicPartitionList::new();
        for partition in 0..partitions {
            let partition = i32::try_from(partition).unwrap_or(i32::MAX);
            list.add_partition_offset(&self.topic, partition, Offset::Beginning)
                .map_err(|e| store_error("cannot assign the topic", e))?;
        }
        consumer
            .assign(&list)
            .map_err(|e| store_error("cannot assign the topic", e))
    }

    /// Reads the topic up to its current end.
    fn catch_up(&self, state: &mut State) -> Result<(), KeyStoreError> {
        let deadline = Instant::now() + self.timeout;
        let assignment = state
            .consumer
            .assignment()
            .map_err(|e| store_error("no assignment", e))?;
        let mut ends = HashMap::new();
        for element in assignment.elements() {
            let (_, high) = state
                .consumer
                .fetch_watermarks(&self.topic, element.partition(), self.timeout)
                .map_err(|e| store_error("cannot read the topic's end", e))?;
            ends.insert(element.partition(), high);
        }
        loop {
            let positions = state
                .consumer
                .position()
                .map_err(|e| store_error("no position", e))?;
            let done = ends.iter().all(|(partition, end)| {
                *end == 0
                    || positions
                        .find_partition(&self.topic, *partition)
                        .and_then(|p| p.offset().to_raw())
                        .is_some_and(|position| position >= *end)
            });
            if done {
                state.refreshed = Some(Instant::now());
                return Ok(());
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(KeyStoreError(format!(
                    "cannot read {} to its end within {:?}",
                    self.topic, self.timeout
                )));
            }
            match state.consumer.poll(deadline - now) {
                Some(Ok(message)) => {
                    apply(&mut state.subjects, message.key(), message.payload());
                }
                Some(Err(error)) => return Err(store_error("cannot read the topic", error)),
                None => {}
            }
        }
    }

    /// Writes `value` (`None`: a tombstone) under `key` and waits for the broker.
    fn write(&self, key: &str, value: Option<&[u8]>) -> Result<(), KeyStoreError> {
        let topic = Cow::Owned(self.topic.clone());
        let delivery = self
            .producer
            .enqueue_raw(topic, Some(key.as_bytes()), OwnedHeaders::new(), value)
            .map_err(|error| store_error("cannot write a key", error))?;
        delivery
            .wait()
            .map(drop)
            .map_err(|error| store_error("the key was not written", error))
    }
}

/// Applies one record of the topic.
fn apply(subjects: &mut HashMap<String, SubjectKeys>, key: Option<&[u8]>, value: Option<&[u8]>) {
    let Some(key) = key.and_then(|k| std::str::from_utf8(k).ok()) else {
        return;
    };
    let Some((subject, rest)) = key.rsplit_once('/') else {
        return;
    };
    let entry = subjects.entry(subject.to_owned()).or_default();
    if rest == ERASED_SUFFIX {
        if value.is_some() {
            entry.erased = true;
        }
        return;
    }
    let Ok(version) = u32::from_str_radix(rest, 16) else {
        return;
    };
    match value.map(serde_json::from_slice::<StoredKey>) {
        None => entry.keys.retain(|k| k.version != version),
        Some(Ok(stored)) if stored.subject == subject && stored.version == version => {
            let Ok(wrapped) = STANDARD.decode(&stored.encrypted_key_material) else {
                return;
            };
            if !entry.keys.iter().any(|k| k.version == version) {
                entry.keys.push(WrappedKey {
                    subject: stored.subject,
                    version,
                    kek_name: stored.kek_name,
                    wrapped,
                });
            }
        }
        Some(_) => {}
    }
}

fn record_key(subject: &str, version: u32) -> String {
    format!("{subject}/{version:08x}")
}

impl DataKeyStore for KafkaKeyStore {
    fn keys_of(&self, subject: &str) -> Result<SubjectKeys, KeyStoreError> {
        let mut state = self.state();
        let stale = state.refreshed.is_none_or(|at| at.elapsed() >= REFRESH);
        if stale || !state.subjects.contains_key(subject) {
            self.catch_up(&mut state)?;
        }
        Ok(state.subjects.get(subject).cloned().unwrap_or_default())
    }

    fn add(&self, key: WrappedKey) -> Result<(), KeyStoreError> {
        let stored = StoredKey {
            subject: key.subject.clone(),
            version: key.version,
            kek_name: key.kek_name,
            algorithm: "AES256_GCM".to_owned(),
            encrypted_key_material: STANDARD.encode(&key.wrapped),
        };
        let value = serde_json::to_vec(&stored).map_err(|e| store_error("cannot encode", e))?;
        self.write(&record_key(&key.subject, key.version), Some(&value))?;
        let mut state = self.state();
        self.catch_up(&mut state)
    }

    fn erase(&self, subject: &str) -> Result<(), KeyStoreError> {
        let mut state = self.state();
        self.catch_up(&mut state)?;
        let versions: Vec<u32> = state
            .subjects
            .get(subject)
            .map(|known| known.keys.iter().map(|k| k.version).collect())
            .unwrap_or_default();
        for version in versions {
            self.write(&record_key(subject, version), None)?;
        }
        let marker = Erased {
            subject: subject.to_owned(),
            erased: true,
        };
        let value = serde_json::to_vec(&marker).map_err(|e| store_error("cannot encode", e))?;
        self.write(&format!("{subject}/{ERASED_SUFFIX}"), Some(&value))?;
        self.catch_up(&mut state)
    }
}
