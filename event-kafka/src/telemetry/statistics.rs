//! The gauges read from librdkafka's statistics (`statistics.interval.ms`): the consumer lag
//! per assigned partition and the producer's queue depth.
//!
//! Only the figures a gauge needs are read from librdkafka's JSON; the rest is skipped, not
//! built (rdkafka's `Statistics` would allocate every broker's, topic's and partition's
//! figures: in the `kafka_load` bench, parsing them took 40 % of the producer's polling
//! thread, about 0.3 CPU-µs per event).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use event_core::metrics::{CONSUMER_LAG, GROUP, PARTITION, PRODUCER_QUEUE_DEPTH, SERVICE, TOPIC};
use metrics::{gauge, SharedString};
use rdkafka::consumer::{BaseConsumer, ConsumerContext, Rebalance};
use rdkafka::topic_partition_list::TopicPartitionList;
use rdkafka::ClientContext;
use serde::Deserialize;

/// What the producer's gauge reads of librdkafka's statistics.
#[derive(Debug, Deserialize)]
struct ProducerFigures {
    /// The client instance's name.
    name: String,
    /// Records in the client's queues.
    msg_cnt: u64,
}

/// What the consumer's gauges read of librdkafka's statistics: per topic, per partition.
#[derive(Debug, Deserialize)]
struct ConsumerFigures {
    #[serde(default)]
    topics: HashMap<String, TopicFigures>,
}

/// A topic's partitions (librdkafka's partition `-1` is internal).
#[derive(Debug, Deserialize)]
struct TopicFigures {
    #[serde(default)]
    partitions: HashMap<i32, PartitionFigures>,
}

/// The offsets of a partition, as librdkafka reports them (`-1`, or less, when unknown; a
/// figure missing from the document is unknown too).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default)]
struct PartitionFigures {
    consumer_lag: i64,
    hi_offset: i64,
    lo_offset: i64,
    ls_offset: i64,
    committed_offset: i64,
}

impl Default for PartitionFigures {
    fn default() -> Self {
        PartitionFigures {
            consumer_lag: -1,
            hi_offset: -1,
            lo_offset: -1,
            ls_offset: -1,
            committed_offset: -1,
        }
    }
}

/// Reads `T` from librdkafka's statistics JSON; a document it cannot read is logged, never a
/// panic.
fn figures<'de, T: Deserialize<'de>>(json: &'de [u8]) -> Option<T> {
    serde_json::from_slice(json)
        .inspect_err(|error| tracing::warn!("librdkafka's statistics cannot be read: {error}"))
        .ok()
}

/// Label: the client instance (librdkafka's `name`, e.g. `rdkafka#producer-1`), so that two
/// producers of one service in one process report two queue depths.
pub const CLIENT: &str = "client";

/// The context of a producer: reports its queue depth.
pub(crate) struct ProducerStatistics {
    service: SharedString,
}

impl ProducerStatistics {
    /// The context of a producer of `service`.
    pub(crate) fn new(service: SharedString) -> Self {
        ProducerStatistics { service }
    }
}

impl ClientContext for ProducerStatistics {
    fn stats_raw(&self, json: &[u8]) {
        if let Some(statistics) = figures::<ProducerFigures>(json) {
            gauge!(PRODUCER_QUEUE_DEPTH, SERVICE => self.service.clone(), CLIENT => statistics.name)
                .set(statistics.msg_cnt as f64);
        }
    }
}

/// The context of a consumer: reports the lag of the partitions assigned to it, and a lag of 0
/// for those it gave up (another member reports them now, and a sum over the group stays
/// true).
pub(crate) struct ConsumerStatistics {
    group: SharedString,
    read_committed: bool,
    assigned: Mutex<BTreeSet<(String, i32)>>,
}

impl ConsumerStatistics {
    /// The context of a consumer in `group`; `read_committed` when its `isolation.level` is.
    pub(crate) fn new(group: &str, read_committed: bool) -> Self {
        ConsumerStatistics {
            group: SharedString::from(group.to_owned()),
            read_committed,
            assigned: Mutex::default(),
        }
    }

    fn assigned(&self) -> MutexGuard<'_, BTreeSet<(String, i32)>> {
        self.assigned.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The lag of a partition: librdkafka's `consumer_lag` (the end of the partition minus
    /// the committed offset) or, while the group has committed nothing there, the end minus
    /// the partition's first offset (what [`EventConsumer::lag`](crate::EventConsumer::lag)
    /// reports). The end is the last stable offset under `read_committed`, else the high
    /// watermark, as librdkafka takes it. `None` while the offsets are not known yet.
    fn lag_of(&self, partition: &PartitionFigures) -> Option<i64> {
        if partition.consumer_lag >= 0 {
            return Some(partition.consumer_lag);
        }
        let end = if self.read_committed {
            partition.ls_offset
        } else {
            partition.hi_offset
        };
        let never_committed = partition.committed_offset < 0;
        (never_committed && end >= 0 && partition.lo_offset >= 0)
            .then(|| end.saturating_sub(partition.lo_offset).max(0))
    }

    fn set_lag(&self, topic: &str, partition: i32, lag: i64) {
        gauge!(
            CONSUMER_LAG,
            TOPIC => topic.to_owned(),
            PARTITION => partition.to_string(),
            GROUP => self.group.clone()
        )
        .set(lag as f64);
    }
}

/// The (topic, partition) pairs of a list.
fn pairs(list: &TopicPartitionList) -> impl Iterator<Item = (String, i32)> + '_ {
    list.elements()
        .into_iter()
        .map(|element| (element.topic().to_owned(), element.partition()))
}

impl ClientContext for ConsumerStatistics {
    fn stats_raw(&self, json: &[u8]) {
        let Some(statistics) = figures::<ConsumerFigures>(json) else {
            return;
        };
        let assigned = self.assigned();
        for (topic, partition) in assigned.iter() {
            let lag = statistics
                .topics
                .get(topic)
                .and_then(|found| found.partitions.get(partition))
                .and_then(|found| self.lag_of(found));
            if let Some(lag) = lag {
                self.set_lag(topic, *partition, lag);
            }
        }
    }
}

impl ConsumerContext for ConsumerStatistics {
    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            // Eager rebalancing hands over the whole assignment; cooperative rebalancing only
            // what is added, so an assignment adds in either case.
            Rebalance::Assign(list) => self.assigned().extend(pairs(list)),
            Rebalance::Revoke(list) => {
                let mut assigned = self.assigned();
                for (topic, partition) in pairs(list) {
                    if assigned.remove(&(topic.clone(), partition)) {
                        self.set_lag(&topic, partition, 0);
                    }
                }
            }
            Rebalance::Error(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trimmed librdkafka statistics document: the fields read, among others skipped.
    const CONSUMER_JSON: &str = r#"{
        "name": "rdkafka#consumer-1", "client_id": "rdkafka", "type": "consumer", "ts": 1,
        "msg_cnt": 0, "brokers": {"localhost:9092/1": {"name": "localhost:9092/1", "rtt": {"min": 1}}},
        "topics": {"game.combat.events": {"topic": "game.combat.events", "partitions": {
            "0": {"partition": 0, "consumer_lag": 7, "hi_offset": 10, "lo_offset": 0, "ls_offset": 10, "committed_offset": 3, "desired": true},
            "1": {"partition": 1, "consumer_lag": -1, "hi_offset": 12, "lo_offset": 2, "ls_offset": 9, "committed_offset": -1001},
            "-1": {"partition": -1, "consumer_lag": -1}
        }}}
    }"#;

    #[test]
    fn the_figures_read_are_those_of_the_document() {
        let producer: ProducerFigures =
            figures(br#"{"name":"rdkafka#producer-1","msg_cnt":42,"topics":{}}"#).expect("reads");
        assert_eq!(
            (producer.name.as_str(), producer.msg_cnt),
            ("rdkafka#producer-1", 42)
        );
        let consumer: ConsumerFigures = figures(CONSUMER_JSON.as_bytes()).expect("reads");
        let partitions = &consumer.topics["game.combat.events"].partitions;
        let statistics = ConsumerStatistics::new("g", true);
        assert_eq!(statistics.lag_of(&partitions[&0]), Some(7));
        // Never committed: the last stable offset minus the first.
        assert_eq!(statistics.lag_of(&partitions[&1]), Some(7));
        let uncommitted = ConsumerStatistics::new("g", false);
        assert_eq!(uncommitted.lag_of(&partitions[&1]), Some(10));
        assert_eq!(statistics.lag_of(&partitions[&-1]), None);
    }

    #[test]
    fn a_document_that_cannot_be_read_is_none() {
        assert!(figures::<ProducerFigures>(b"{\"name\": 1}").is_none());
        assert!(figures::<ConsumerFigures>(b"not json").is_none());
        let empty: ConsumerFigures = figures(b"{}").expect("no topics yet");
        assert!(empty.topics.is_empty());
    }
}
