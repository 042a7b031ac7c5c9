//! Consumer lag: how many records of each partition a consumer group has not committed yet,
//! from the group's committed offsets and the partitions' high watermarks.

use std::fmt;
use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::error::KafkaError;
use rdkafka::{Offset, TopicPartitionList};

use crate::config::{create_client, KafkaConfig};
use crate::ClientError;

/// One partition's lag for a consumer group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionLag {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The offset the next record written to the partition will get.
    pub high_watermark: i64,
    /// The group's committed offset (the next record it will read), if it committed one.
    pub committed: Option<i64>,
    /// `high_watermark − committed`; without a committed offset, counted from the partition's
    /// first retained record (where a group with `auto.offset.reset=earliest` starts). Markers
    /// of transactions count as records, as in Kafka's own tools.
    pub lag: i64,
}

impl fmt::Display for PartitionLag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let committed = self
            .committed
            .map_or_else(|| "-".to_owned(), |offset| offset.to_string());
        write!(
            f,
            "{}/{}: lag {} (committed {committed}, end {})",
            self.topic, self.partition, self.lag, self.high_watermark
        )
    }
}

/// Why the lag could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LagError {
    /// The client could not be created.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The cluster did not answer (metadata, committed offsets or watermarks).
    #[error("cannot read the consumer lag: {0}")]
    Kafka(#[from] KafkaError),
    /// A topic does not exist on the cluster.
    #[error("cannot read the consumer lag: topic `{0}` does not exist")]
    UnknownTopic(String),
}

/// The lag of `group_id` on every partition of `topics`, read as an outsider (the client does
/// not join the group, so it disturbs no member).
///
/// ```no_run
/// use event_kafka::{consumer_group_lag, KafkaConfig};
/// let lag = consumer_group_lag(
///     &KafkaConfig::new("127.0.0.1:9092"),
///     "scoreboard",
///     &["game.combat.events"],
///     std::time::Duration::from_secs(10),
/// )?;
/// let total: i64 = lag.iter().map(|partition| partition.lag).sum();
/// # Ok::<(), event_kafka::LagError>(())
/// ```
pub fn consumer_group_lag(
    config: &KafkaConfig,
    group_id: &str,
    topics: &[&str],
    timeout: Duration,
) -> Result<Vec<PartitionLag>, LagError> {
    let mut client = config.rdkafka_config();
    client.set("group.id", group_id);
    let consumer: BaseConsumer = create_client(&client, "consumer")?;
    let mut partitions = TopicPartitionList::new();
    for topic in topics {
        let metadata = consumer.fetch_metadata(Some(topic), timeout)?;
        let found = metadata
            .topics()
            .iter()
            .find(|found| found.name() == *topic && found.error().is_none())
            .filter(|found| !found.partitions().is_empty())
            .ok_or_else(|| LagError::UnknownTopic((*topic).to_owned()))?;
        for partition in found.partitions() {
            partitions.add_partition(topic, partition.id());
        }
    }
    Ok(lag_of(&consumer, partitions, timeout)?)
}

/// The lag of `consumer`'s group on `partitions`.
pub(crate) fn lag_of<X: ConsumerContext, C: Consumer<X>>(
    consumer: &C,
    partitions: TopicPartitionList,
    timeout: Duration,
) -> Result<Vec<PartitionLag>, KafkaError> {
    let committed = consumer.committed_offsets(partitions, timeout)?;
    committed
        .elements()
        .iter()
        .map(|element| {
            let (low, high) =
                consumer.fetch_watermarks(element.topic(), element.partition(), timeout)?;
            let committed = match element.offset() {
                Offset::Offset(offset) => Some(offset),
                _ => None,
            };
            Ok(PartitionLag {
                topic: element.topic().to_owned(),
                partition: element.partition(),
                high_watermark: high,
                committed,
                lag: (high - committed.unwrap_or(low)).max(0),
            })
        })
        .collect()
}
