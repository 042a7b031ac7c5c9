//! The gauges read from librdkafka's statistics (`statistics.interval.ms`): the consumer lag
//! per assigned partition and the producer's queue depth.

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard, PoisonError};

use event_core::metrics::{CONSUMER_LAG, GROUP, PARTITION, PRODUCER_QUEUE_DEPTH, SERVICE, TOPIC};
use metrics::{gauge, SharedString};
use rdkafka::consumer::{BaseConsumer, ConsumerContext, Rebalance};
use rdkafka::statistics::{Partition, Statistics};
use rdkafka::topic_partition_list::TopicPartitionList;
use rdkafka::ClientContext;

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
    fn stats(&self, statistics: Statistics) {
        gauge!(PRODUCER_QUEUE_DEPTH, SERVICE => self.service.clone(), CLIENT => statistics.name)
            .set(statistics.msg_cnt as f64);
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
    fn lag_of(&self, partition: &Partition) -> Option<i64> {
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
    fn stats(&self, statistics: Statistics) {
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
