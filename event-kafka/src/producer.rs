//! The producer: validated events to their topics, batched, idempotent, each delivery confirmed.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use event_core::codec::{CodecError, DomainEvents, KafkaRecord};
use event_core::{Envelope, KafkaEvent};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::OwnedHeaders;
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer};

use crate::config::KafkaConfig;
use crate::ClientError;

/// The producer's settings before the user's own ([`KafkaConfig::set`] wins):
/// idempotence (which implies `acks=all` and ordered retries), batches of up to 5 ms
/// compressed with lz4 (the codec the catalog's topics store, so the broker keeps the batches
/// as they come instead of recompressing them), and a delivery given up after two minutes —
/// reported to the caller, never dropped in silence.
pub const PRODUCER_DEFAULTS: &[(&str, &str)] = &[
    ("enable.idempotence", "true"),
    ("acks", "all"),
    ("linger.ms", "5"),
    ("compression.type", "lz4"),
    ("batch.num.messages", "10000"),
    ("message.timeout.ms", "120000"),
    ("queue.buffering.max.messages", "200000"),
];

/// Why an event was not published.
#[derive(Debug, thiserror::Error)]
pub enum ProduceError {
    /// The event breaks its schema (or cannot be written): it was not sent.
    #[error("{event_type}: not sent: {source}")]
    Invalid {
        /// The event.
        event_type: &'static str,
        /// Why.
        source: CodecError,
    },
    /// The local queue stayed full for the whole enqueue timeout (the broker is slower than
    /// the producer, or unreachable).
    #[error("{topic}: the producer's queue stayed full for {waited:?}")]
    QueueFull {
        /// The topic.
        topic: Cow<'static, str>,
        /// How long the producer waited for room.
        waited: Duration,
    },
    /// librdkafka refused the record (too large, unknown topic …).
    #[error("{topic}: the record was refused: {source}")]
    Enqueue {
        /// The topic.
        topic: Cow<'static, str>,
        /// Why.
        source: KafkaError,
    },
    /// The broker did not confirm the record within `message.timeout.ms`, or refused it.
    #[error("{topic}: delivery failed: {source}")]
    Delivery {
        /// The topic.
        topic: Cow<'static, str>,
        /// Why.
        source: KafkaError,
    },
    /// The producer was closed before the delivery was confirmed.
    #[error("{topic}: the producer closed before the delivery was confirmed")]
    Canceled {
        /// The topic.
        topic: Cow<'static, str>,
    },
    /// Outstanding records were not delivered within the flush timeout.
    #[error("flush: {0}")]
    Flush(KafkaError),
}

/// Where a record was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The topic.
    pub topic: Cow<'static, str>,
    /// The partition.
    pub partition: i32,
    /// The record's offset.
    pub offset: i64,
}

/// A record handed to the producer whose delivery is not yet confirmed. Await it (async code)
/// or [`wait`](Self::wait) for it (threads). Dropping it does not cancel the delivery; it only
/// forgoes the confirmation.
#[must_use = "a delivery is confirmed only by awaiting or waiting on it"]
pub struct PendingDelivery {
    topic: Cow<'static, str>,
    future: DeliveryFuture,
}

impl PendingDelivery {
    /// Blocks the thread until the broker confirms or refuses the record.
    pub fn wait(self) -> Result<Delivery, ProduceError> {
        futures_executor::block_on(self)
    }
}

impl Future for PendingDelivery {
    type Output = Result<Delivery, ProduceError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let topic = self.topic.clone();
        Pin::new(&mut self.future)
            .poll(cx)
            .map(|result| match result {
                Ok(Ok(delivery)) => Ok(Delivery {
                    topic,
                    partition: delivery.partition,
                    offset: delivery.offset,
                }),
                Ok(Err((source, _message))) => Err(ProduceError::Delivery { topic, source }),
                Err(_canceled) => Err(ProduceError::Canceled { topic }),
            })
    }
}

/// Publishes events to their topics with their keys and headers ([`Envelope::to_record`]).
///
/// Every record is validated before it is handed to librdkafka (an invalid event never reaches
/// a topic); librdkafka batches records per partition (`linger.ms`), and each `enqueue` returns
/// a [`PendingDelivery`] that resolves once the broker acknowledged the record with
/// `acks=all`. Idempotence (`enable.idempotence`) keeps retried records from being written
/// twice and keeps each partition in send order.
///
/// ```no_run
/// # use event_core::{Envelope, KafkaEvent};
/// # event_core::domain! { pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High, key_fields: [session_id, player_id] } }
/// # #[derive(KafkaEvent, serde::Serialize, serde::Deserialize)]
/// # #[event("combat.player.attack")]
/// # pub struct Attack { pub session_id: uuid::Uuid, pub damage: u32 }
/// use event_kafka::{EventProducer, KafkaConfig};
/// let producer = EventProducer::new(&KafkaConfig::new("127.0.0.1:9092"))?;
/// let envelope = Envelope::new(Attack { session_id: uuid::Uuid::new_v4(), damage: 12 });
/// let delivery = producer.send_blocking(&envelope)?;
/// println!("written at {}/{}@{}", delivery.topic, delivery.partition, delivery.offset);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct EventProducer {
    pub(crate) producer: FutureProducer,
    enqueue_timeout: Duration,
    topic_suffix: String,
}

impl EventProducer {
    /// A producer with [`PRODUCER_DEFAULTS`] under `config`.
    pub fn new(config: &KafkaConfig) -> Result<Self, ClientError> {
        Self::with_defaults(config, &[])
    }

    /// A producer with [`PRODUCER_DEFAULTS`], then `defaults`, under `config`.
    pub(crate) fn with_defaults(
        config: &KafkaConfig,
        defaults: &[(&str, &str)],
    ) -> Result<Self, ClientError> {
        let producer = config
            .client_config(PRODUCER_DEFAULTS.iter().chain(defaults))
            .create()
            .map_err(|source| ClientError::Create {
                role: "producer",
                source,
            })?;
        Ok(EventProducer {
            producer,
            enqueue_timeout: Duration::from_secs(30),
            topic_suffix: String::new(),
        })
    }

    /// Writes every event to `<its topic><suffix>` instead of its topic: staging topics
    /// (`.staging`), or topics of one's own on a shared cluster. Consumers read them with
    /// [`ConsumerOptions::topic_suffix`](crate::ConsumerOptions::topic_suffix) and
    /// [`with_topic_suffix`](crate::with_topic_suffix) provisions them.
    ///
    /// ```no_run
    /// # use event_kafka::{EventProducer, KafkaConfig};
    /// let staging = EventProducer::new(&KafkaConfig::new("127.0.0.1:9092"))?.with_topic_suffix(".staging");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_topic_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.topic_suffix = suffix.into();
        self
    }

    /// How long [`enqueue`](Self::enqueue) waits for room in a full local queue before it
    /// returns [`ProduceError::QueueFull`] (30 s by default).
    pub fn with_enqueue_timeout(mut self, timeout: Duration) -> Self {
        self.enqueue_timeout = timeout;
        self
    }

    /// Validates `envelope` and hands its record to the producer; the returned
    /// [`PendingDelivery`] resolves when the broker confirmed it.
    pub fn enqueue<T: KafkaEvent>(
        &self,
        envelope: &Envelope<T>,
    ) -> Result<PendingDelivery, ProduceError> {
        let record = envelope
            .to_record()
            .map_err(|source| ProduceError::Invalid {
                event_type: T::EVENT_TYPE,
                source,
            })?;
        self.enqueue_record(&record)
    }

    /// [`enqueue`](Self::enqueue) for an event of a domain enum (`CombatEvent` …).
    pub fn enqueue_event<E: DomainEvents>(
        &self,
        event: &E,
    ) -> Result<PendingDelivery, ProduceError> {
        let record = event.to_record().map_err(|source| ProduceError::Invalid {
            event_type: event.event_type(),
            source,
        })?;
        self.enqueue_record(&record)
    }

    /// Publishes `envelope` and waits for the broker's confirmation.
    pub async fn send<T: KafkaEvent>(
        &self,
        envelope: &Envelope<T>,
    ) -> Result<Delivery, ProduceError> {
        self.enqueue(envelope)?.await
    }

    /// Publishes `envelope` and blocks the thread until the broker's confirmation. To keep
    /// many records in flight, [`enqueue`](Self::enqueue) them first and wait afterwards.
    pub fn send_blocking<T: KafkaEvent>(
        &self,
        envelope: &Envelope<T>,
    ) -> Result<Delivery, ProduceError> {
        self.enqueue(envelope)?.wait()
    }

    /// Waits until every record handed to the producer is delivered or failed.
    pub fn flush(&self, timeout: Duration) -> Result<(), ProduceError> {
        self.producer.flush(timeout).map_err(ProduceError::Flush)
    }

    /// Hands a validated record to librdkafka, waiting for room while the queue is full.
    fn enqueue_record(&self, record: &KafkaRecord) -> Result<PendingDelivery, ProduceError> {
        let topic = if self.topic_suffix.is_empty() {
            Cow::Borrowed(record.topic)
        } else {
            Cow::Owned(format!("{}{}", record.topic, self.topic_suffix))
        };
        self.enqueue_raw(
            topic,
            record.key.as_deref(),
            headers(record.headers.iter().map(|(k, v)| (*k, v.as_slice()))),
            &record.value,
        )
    }

    /// Hands bytes to librdkafka as they are: only for records whose value is already known to
    /// be what the topic should carry (dead letters).
    pub(crate) fn enqueue_raw(
        &self,
        topic: Cow<'static, str>,
        key: Option<&[u8]>,
        headers: OwnedHeaders,
        value: &[u8],
    ) -> Result<PendingDelivery, ProduceError> {
        let mut record = FutureRecord::<[u8], [u8]>::to(&topic)
            .payload(value)
            .headers(headers);
        if let Some(key) = key {
            record = record.key(key);
        }
        let started = Instant::now();
        loop {
            match self.producer.send_result(record) {
                Ok(future) => {
                    return Ok(PendingDelivery {
                        topic: topic.clone(),
                        future,
                    })
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), returned)) => {
                    let waited = started.elapsed();
                    if waited >= self.enqueue_timeout {
                        return Err(ProduceError::QueueFull {
                            topic: topic.clone(),
                            waited,
                        });
                    }
                    // The producer's own thread drains the queue meanwhile.
                    std::thread::sleep(Duration::from_millis(1));
                    record = returned;
                }
                Err((source, _)) => {
                    return Err(ProduceError::Enqueue {
                        topic: topic.clone(),
                        source,
                    })
                }
            }
        }
    }
}

/// Kafka headers from name/value pairs, in order.
pub(crate) fn headers<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> OwnedHeaders {
    pairs
        .into_iter()
        .fold(OwnedHeaders::new(), |headers, (key, value)| {
            headers.insert(rdkafka::message::Header {
                key,
                value: Some(value),
            })
        })
}
