//! Delivery reports: what each record handed to librdkafka carries to its report, and the
//! producer's context that receives them (in the producer's polling thread).
//!
//! A record someone waits for carries the sending half of a one-shot channel, whose other
//! half is its [`PendingDelivery`](crate::PendingDelivery); a detached record
//! ([`EventProducer::enqueue_detached`](crate::EventProducer::enqueue_detached)) carries its
//! metrics, shared by every detached record of its event type (see [`Route`](crate::route::Route)),
//! and its report counts it and hands a failure to the producer's failure handler: no channel,
//! no waiting thread, no allocation per record; the delivery time is librdkafka's own.

use std::borrow::Cow;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures_channel::oneshot;
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::producer::{DeliveryResult, ProducerContext};
use rdkafka::ClientContext;

use crate::native::delivery_latency;
use crate::producer::{delivery_error, ProduceError};
use crate::telemetry::{ProducerMetrics, ProducerStatistics, SendInstruments};

/// Where a record landed (partition, offset), or why it did not.
pub(crate) type Outcome = Result<(i32, i64), KafkaError>;

/// What a record carries to its delivery report.
pub(crate) enum Awaiting {
    /// A [`PendingDelivery`](crate::PendingDelivery) waits for the outcome.
    Pending(oneshot::Sender<Outcome>),
    /// Nobody waits: the report counts the delivery, a failure goes to the handler.
    Detached(DeliveryReport),
}

/// What an event's delivery counts when it resolves: its topic (with the producer's suffix)
/// and the producer's metrics.
#[derive(Clone)]
pub(crate) struct DeliveryReport {
    pub(crate) topic: Cow<'static, str>,
    pub(crate) instruments: Arc<SendInstruments>,
    pub(crate) metrics: Arc<ProducerMetrics>,
}

impl DeliveryReport {
    /// Counts the delivery (`after` its hand-over, when known) or its failure.
    pub(crate) fn resolved<T>(&self, result: &Result<T, ProduceError>, after: Option<Duration>) {
        match result {
            Ok(_) => self.instruments.delivered(after),
            Err(error) => self.metrics.failed(&self.topic, error.kind()),
        }
    }
}

/// What the producer does with a detached record's failed delivery.
pub(crate) type FailureHandler = Arc<dyn Fn(&ProduceError) + Send + Sync>;

/// The default failure handler: an error event (the failure is counted in the metrics too).
fn log_failure(error: &ProduceError) {
    tracing::error!(kind = error.kind(), "{error}");
}

/// The producer's context: librdkafka's statistics (the queue-depth gauge) and the delivery
/// reports.
pub(crate) struct Deliveries {
    statistics: ProducerStatistics,
    on_failure: RwLock<FailureHandler>,
}

impl Deliveries {
    pub(crate) fn new(statistics: ProducerStatistics) -> Self {
        Deliveries {
            statistics,
            on_failure: RwLock::new(Arc::new(log_failure)),
        }
    }

    /// Hands later failures of detached records to `handler`.
    pub(crate) fn set_failure_handler(&self, handler: FailureHandler) {
        // A poisoned lock only means a handler panicked; replacing it is still right.
        let mut current = self
            .on_failure
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *current = handler;
    }

    fn failed(&self, error: &ProduceError) {
        let handler = Arc::clone(
            &self
                .on_failure
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        handler(error);
    }
}

impl ClientContext for Deliveries {
    fn stats_raw(&self, json: &[u8]) {
        self.statistics.stats_raw(json);
    }
}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = Arc<Awaiting>;

    fn delivery(&self, result: &DeliveryResult<'_>, awaiting: Arc<Awaiting>) {
        let outcome = match result {
            Ok(message) => Ok((message.partition(), message.offset())),
            Err((error, _)) => Err(error.clone()),
        };
        match &*awaiting {
            Awaiting::Detached(report) => {
                let latency = match result {
                    Ok(message) => delivery_latency(message),
                    Err(_) => None,
                };
                let result = outcome.map_err(|source| delivery_error(report.topic.clone(), source));
                report.resolved(&result, latency);
                if let Err(error) = &result {
                    self.failed(error);
                }
            }
            Awaiting::Pending(_) => {
                // A pending record's `Awaiting` is its own (never cloned), so it is unwrapped
                // here; the receiver may be gone: a dropped PendingDelivery forgoes the
                // confirmation.
                if let Some(Awaiting::Pending(sender)) = Arc::into_inner(awaiting) {
                    let _ = sender.send(outcome);
                }
            }
        }
    }
}
