//! The clients' metrics, reported through the `metrics` facade under the names of
//! [`event_core::metrics`]. The handles of a topic and event type are looked up once and kept,
//! so a record costs a map lookup and a few atomic additions, not a registry lookup per metric.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use event_core::metrics::{
    CONSUMED_BYTES_TOTAL, CONSUMED_TOTAL, DEAD_LETTERED_TOTAL, DECODE_ERRORS_TOTAL,
    DELIVERED_TOTAL, DELIVERY_SECONDS, END_TO_END_SECONDS, EVENT_TYPE, GROUP, HANDLER_ERRORS_TOTAL,
    HANDLER_SECONDS, KIND, PRODUCED_BYTES_TOTAL, PRODUCED_TOTAL, PRODUCE_ERRORS_TOTAL, SERVICE,
    TOPIC,
};
use foldhash::HashMap;
use metrics::{counter, histogram, Counter, Histogram, SharedString};

/// The bytes of a record on the wire before compression, as the byte counters count them: key,
/// value, and each header's name and value.
pub(crate) fn record_bytes<'h>(
    key: Option<&[u8]>,
    value: &[u8],
    headers: impl IntoIterator<Item = (&'h [u8], &'h [u8])>,
) -> usize {
    let headers: usize = headers
        .into_iter()
        .map(|(name, value)| name.len() + value.len())
        .sum();
    key.map_or(0, <[u8]>::len) + value.len() + headers
}

/// The `event_type` label of a record that is not one of the consumer's events.
pub(crate) const UNKNOWN_EVENT_TYPE: &str = "unknown";

/// The handles of one topic and event type on the producer side.
pub(crate) struct SendInstruments {
    produced: Counter,
    delivered: Counter,
    bytes: Counter,
    delivery: Histogram,
}

impl SendInstruments {
    /// An event of `bytes` bytes was handed to the client.
    pub(crate) fn handed_over(&self, bytes: usize) {
        self.produced.increment(1);
        self.bytes.increment(bytes as u64);
    }

    /// The cluster acknowledged an event `after` it was handed over (when known).
    pub(crate) fn delivered(&self, after: Option<Duration>) {
        self.delivered.increment(1);
        if let Some(after) = after {
            self.delivery.record(after.as_secs_f64());
        }
    }
}

/// A producer's metrics, labelled with its service (its `client.id`).
pub(crate) struct ProducerMetrics {
    service: SharedString,
    by_event: Mutex<HashMap<(&'static str, &'static str), Arc<SendInstruments>>>,
}

impl ProducerMetrics {
    /// The metrics of a producer of `service`.
    pub(crate) fn new(service: &str) -> Self {
        ProducerMetrics {
            service: SharedString::from(service.to_owned()),
            by_event: Mutex::default(),
        }
    }

    /// The handles of `event_type` on `topic` (the catalog's topic, `suffix` appended).
    pub(crate) fn of(
        &self,
        topic: &'static str,
        suffix: &str,
        event_type: &'static str,
    ) -> Arc<SendInstruments> {
        let mut by_event = lock(&self.by_event);
        let instruments = by_event.entry((topic, event_type)).or_insert_with(|| {
            let topic = label_of(topic, suffix);
            let service = self.service.clone();
            Arc::new(SendInstruments {
                produced: counter!(PRODUCED_TOTAL, TOPIC => topic.clone(), SERVICE => service.clone(), EVENT_TYPE => event_type),
                delivered: counter!(DELIVERED_TOTAL, TOPIC => topic.clone(), SERVICE => service.clone(), EVENT_TYPE => event_type),
                bytes: counter!(PRODUCED_BYTES_TOTAL, TOPIC => topic.clone(), SERVICE => service.clone()),
                delivery: histogram!(DELIVERY_SECONDS, TOPIC => topic, SERVICE => service),
            })
        });
        Arc::clone(instruments)
    }

    /// An event for `topic` was not published, for an error of `kind`.
    pub(crate) fn failed(&self, topic: &str, kind: &'static str) {
        counter!(PRODUCE_ERRORS_TOTAL, TOPIC => topic.to_owned(), SERVICE => self.service.clone(), KIND => kind)
            .increment(1);
    }

    /// The service label.
    pub(crate) fn service(&self) -> &SharedString {
        &self.service
    }
}

/// The handles of one topic and event type on the consumer side.
pub(crate) struct ReadInstruments {
    consumed: Counter,
    bytes: Counter,
    end_to_end: Histogram,
    handler: Histogram,
}

impl ReadInstruments {
    /// A record of `bytes` bytes was read.
    pub(crate) fn read(&self, bytes: usize) {
        self.consumed.increment(1);
        self.bytes.increment(bytes as u64);
    }

    /// A handler ran for `took`.
    pub(crate) fn handled(&self, took: Duration) {
        self.handler.record(took.as_secs_f64());
    }

    /// An event created `age` ago was handled.
    pub(crate) fn end_to_end(&self, age: Duration) {
        self.end_to_end.record(age.as_secs_f64());
    }
}

/// A consumer's metrics, labelled with its group.
pub(crate) struct ConsumerMetrics {
    group: SharedString,
    /// foldhash, not SipHash: read for every record (SipHash was 5 % of a consumer's thread).
    by_topic: Mutex<HashMap<String, HashMap<&'static str, Arc<ReadInstruments>>>>,
}

impl ConsumerMetrics {
    /// The metrics of a consumer in `group`.
    pub(crate) fn new(group: &str) -> Self {
        ConsumerMetrics {
            group: SharedString::from(group.to_owned()),
            by_topic: Mutex::default(),
        }
    }

    /// The handles of `event_type` on `topic`.
    pub(crate) fn of(&self, topic: &str, event_type: &'static str) -> Arc<ReadInstruments> {
        let mut by_topic = lock(&self.by_topic);
        if let Some(known) = by_topic
            .get(topic)
            .and_then(|by_event| by_event.get(event_type))
        {
            return Arc::clone(known);
        }
        let by_event = by_topic.entry(topic.to_owned()).or_default();
        let instruments = by_event.entry(event_type).or_insert_with(|| {
            let topic = SharedString::from(topic.to_owned());
            let group = self.group.clone();
            Arc::new(ReadInstruments {
                consumed: counter!(CONSUMED_TOTAL, TOPIC => topic.clone(), GROUP => group.clone(), EVENT_TYPE => event_type),
                bytes: counter!(CONSUMED_BYTES_TOTAL, TOPIC => topic.clone(), GROUP => group.clone()),
                end_to_end: histogram!(END_TO_END_SECONDS, TOPIC => topic.clone(), GROUP => group.clone(), EVENT_TYPE => event_type),
                handler: histogram!(HANDLER_SECONDS, TOPIC => topic, GROUP => group, EVENT_TYPE => event_type),
            })
        });
        Arc::clone(instruments)
    }

    /// A handler failed (an error or a panic) on a record of `topic`.
    pub(crate) fn handler_failed(&self, topic: &str) {
        counter!(HANDLER_ERRORS_TOTAL, TOPIC => topic.to_owned(), GROUP => self.group.clone())
            .increment(1);
    }

    /// A record of `topic` went to the dead-letter topic for a reason of `kind`; `unreadable`
    /// when it could not be read as an event (not when its handler gave up).
    pub(crate) fn dead_lettered(&self, topic: &str, kind: &'static str, unreadable: bool) {
        let topic = SharedString::from(topic.to_owned());
        counter!(DEAD_LETTERED_TOTAL, TOPIC => topic.clone(), GROUP => self.group.clone(), KIND => kind)
            .increment(1);
        if unreadable {
            counter!(DECODE_ERRORS_TOTAL, TOPIC => topic, GROUP => self.group.clone(), KIND => kind)
                .increment(1);
        }
    }
}

/// The topic label: the catalog's topic with the client's suffix.
fn label_of(topic: &'static str, suffix: &str) -> SharedString {
    if suffix.is_empty() {
        SharedString::from(topic)
    } else {
        SharedString::from(format!("{topic}{suffix}"))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
