//! The consumer: a domain's topics read into the domain's typed event enum, undecodable
//! records sent to a dead-letter topic, offsets committed only after success.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::time::Duration;

use event_core::codec::{DispatchError, DomainEvents, EVENT_TYPE_HEADER};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{BorrowedMessage, Headers, Message};
use rdkafka::Offset;

use crate::config::KafkaConfig;
use crate::dead_letter::{dead_letter_headers, dead_letter_topic, RecordPosition};
use crate::lag::{lag_of, PartitionLag};
use crate::producer::{EventProducer, ProduceError};
use crate::ClientError;

/// The consumer's settings before the user's own: offsets are committed in the background
/// every second, from the earliest record for a new group; records of aborted transactions
/// are never read (`read_committed`, librdkafka's default, stated here).
pub const CONSUMER_DEFAULTS: &[(&str, &str)] = &[
    ("isolation.level", "read_committed"),
    ("enable.auto.commit", "true"),
    ("auto.commit.interval.ms", "1000"),
    ("auto.offset.reset", "earliest"),
    ("session.timeout.ms", "10000"),
    ("enable.partition.eof", "false"),
];

/// Set after the user's properties, because at-least-once depends on it: an offset is stored
/// for commit only by the consumer, after the handler succeeded or the dead letter was
/// delivered.
const AT_LEAST_ONCE: &[(&str, &str)] = &[("enable.auto.offset.store", "false")];

/// The dead-letter producer's settings beyond the producer's own (the user's still win): a dead
/// letter that cannot be written within 30 s stops the consumer at that record instead of
/// dropping it.
const DEAD_LETTER_DEFAULTS: &[(&str, &str)] = &[("message.timeout.ms", "30000")];

/// Who consumes, and where dead letters go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerOptions {
    /// The consumer group (`group.id`).
    pub group_id: String,
    /// Appended to a topic's name to name its dead-letter topic.
    pub dead_letter_suffix: String,
    /// Appended to each of the domain's topics before subscribing (empty: the topics
    /// themselves); see [`EventProducer::with_topic_suffix`].
    pub topic_suffix: String,
    /// Who commits the offsets of handled records.
    pub offsets: OffsetCommits,
}

/// Who commits a consumer's offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OffsetCommits {
    /// The consumer, in the background every `auto.commit.interval.ms` and on
    /// [`EventConsumer::commit`]: at-least-once.
    #[default]
    Consumer,
    /// A [`TransactionalProducer`](crate::TransactionalProducer), with the records the handler
    /// produced ([`send_offsets`](crate::TransactionalProducer::send_offsets)): the consumer
    /// never commits (`enable.auto.commit=false`), so an aborted transaction leaves the group's
    /// offsets where they were.
    Transaction,
}

impl ConsumerOptions {
    /// Options for `group_id` with dead letters in `<topic>.dlq`.
    pub fn new(group_id: impl Into<String>) -> Self {
        ConsumerOptions {
            group_id: group_id.into(),
            dead_letter_suffix: crate::DEAD_LETTER_SUFFIX.to_owned(),
            topic_suffix: String::new(),
            offsets: OffsetCommits::Consumer,
        }
    }

    /// Reads `<topic><suffix>` for each of the domain's topics (staging topics, or topics of
    /// one's own on a shared cluster); dead letters go to `<topic><suffix><dead-letter suffix>`.
    pub fn topic_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.topic_suffix = suffix.into();
        self
    }

    /// Offsets are committed by a transactional producer, not by the consumer
    /// ([`OffsetCommits::Transaction`]).
    pub fn offsets_in_transactions(mut self) -> Self {
        self.offsets = OffsetCommits::Transaction;
        self
    }

    /// Dead letters in `<topic><suffix>` instead.
    pub fn dead_letter_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.dead_letter_suffix = suffix.into();
        self
    }
}

/// An event handed to the handler, and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Received<E> {
    /// The validated event.
    pub event: E,
    /// Where it was read.
    pub position: RecordPosition,
    /// The record's key.
    pub key: Option<Vec<u8>>,
}

/// What one [`EventConsumer::poll`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Polled {
    /// No record arrived within the timeout.
    Idle,
    /// The handler accepted the event; its offset will be committed.
    Handled {
        /// The event's name.
        event_type: &'static str,
        /// Where it was read.
        position: RecordPosition,
    },
    /// The record could not be decoded; it was written to the dead-letter topic (delivery
    /// confirmed) and its offset will be committed.
    DeadLettered {
        /// Where it was read.
        position: RecordPosition,
        /// The dead-letter topic.
        dead_letter_topic: String,
        /// Why it could not be read.
        reason: DispatchError,
    },
}

/// Why a poll did not complete. After a `Handler` or `DeadLetter` error the record is read
/// again by the next poll: nothing is skipped.
#[derive(Debug, thiserror::Error)]
pub enum ConsumeError<H> {
    /// The handler failed; the consumer rewound to the record, which the next poll returns
    /// again.
    #[error("{position}: the handler failed: {source}")]
    Handler {
        /// The record.
        position: RecordPosition,
        /// The handler's error.
        source: H,
    },
    /// The record could not be decoded and could not be written to the dead-letter topic; the
    /// consumer rewound to it.
    #[error("{position}: cannot write the dead letter ({reason}): {source}")]
    DeadLetter {
        /// The record.
        position: RecordPosition,
        /// Why it is a dead letter.
        reason: Box<DispatchError>,
        /// Why the dead letter was not written.
        source: Box<ProduceError>,
    },
    /// Reading from the cluster failed (often transient: the next poll retries).
    #[error("poll: {0}")]
    Poll(KafkaError),
    /// The offset of a processed record could not be stored for commit.
    #[error("{position}: cannot store the offset: {source}")]
    StoreOffset {
        /// The record.
        position: RecordPosition,
        /// Why.
        source: KafkaError,
    },
    /// The consumer could not rewind to a record that was not processed.
    #[error("{position}: cannot rewind to the record: {source}")]
    Rewind {
        /// The record.
        position: RecordPosition,
        /// Why.
        source: KafkaError,
    },
}

/// Reads a domain's topics ([`DomainEvents::topics`]) as a member of a consumer group and
/// hands each record to a handler as the domain's typed event enum.
///
/// **Delivery is at-least-once.** A record's offset is stored for commit only after the
/// handler returned `Ok`, or after the undecodable record was written to the dead-letter topic
/// and the broker confirmed it. If the handler fails, the consumer rewinds its partition to
/// that record and the next poll returns it again; if the process dies, the group resumes at
/// the last committed offset. A handler may therefore see an event more than once (after a
/// crash or a rebalance) and should be idempotent, e.g. keyed by `event_id`.
///
/// A record that cannot be decoded or validated (not JSON, unknown event type, a broken
/// constraint, a newer major version …) never reaches the handler and never stops the
/// consumer: it goes to `<topic>.dlq` with its original key, value and headers, plus
/// `dlq.error.kind`, `dlq.error.message`, `dlq.error.pointer`, `dlq.source.topic`,
/// `dlq.source.partition`, `dlq.source.offset` and `dlq.consumer.group`.
///
/// ```no_run
/// use event_core::codec::DomainEvents;
/// use event_kafka::{ConsumerOptions, EventConsumer, KafkaConfig, Polled};
///
/// // E is a domain's event enum, e.g. `event_domains::CombatEvent`.
/// fn scoreboard<E: DomainEvents>(config: &KafkaConfig) -> Result<(), Box<dyn std::error::Error>> {
///     let consumer = EventConsumer::<E>::new(config, ConsumerOptions::new("scoreboard"))?;
///     loop {
///         let polled = consumer.poll(std::time::Duration::from_millis(100), |received| {
///             println!("{} at {}", received.event.event_type(), received.position);
///             Ok::<(), std::io::Error>(())
///         });
///         match polled {
///             Ok(Polled::DeadLettered { position, reason, .. }) => eprintln!("{position}: {reason}"),
///             Ok(_) => {}
///             Err(error) => eprintln!("{error}"), // the record is read again
///         }
///     }
/// }
/// ```
pub struct EventConsumer<E> {
    pub(crate) consumer: BaseConsumer,
    dead_letters: EventProducer,
    dead_letter_suffix: String,
    group_id: String,
    offsets: OffsetCommits,
    events: PhantomData<fn() -> E>,
}

impl<E: DomainEvents> EventConsumer<E> {
    /// A consumer of `E`'s topics in `options.group_id`, subscribed.
    pub fn new(config: &KafkaConfig, options: ConsumerOptions) -> Result<Self, ClientError> {
        let mut client = config.client_config(CONSUMER_DEFAULTS);
        client.set("group.id", &options.group_id);
        for (key, value) in AT_LEAST_ONCE {
            client.set(*key, *value);
        }
        if options.offsets == OffsetCommits::Transaction {
            client.set("enable.auto.commit", "false");
        }
        let consumer: BaseConsumer = client.create().map_err(|source| ClientError::Create {
            role: "consumer",
            source,
        })?;
        let topics: Vec<String> = E::topics()
            .into_iter()
            .map(|topic| format!("{topic}{}", options.topic_suffix))
            .collect();
        let topics: Vec<&str> = topics.iter().map(String::as_str).collect();
        consumer
            .subscribe(&topics)
            .map_err(|source| ClientError::Subscribe {
                topics: topics.join(", "),
                source,
            })?;
        Ok(EventConsumer {
            consumer,
            dead_letters: EventProducer::with_defaults(config, DEAD_LETTER_DEFAULTS)?,
            dead_letter_suffix: options.dead_letter_suffix,
            group_id: options.group_id,
            offsets: options.offsets,
            events: PhantomData,
        })
    }

    /// Waits up to `timeout` for one record. A decodable record is handed to `handler`; its
    /// offset is stored for commit when the handler returns `Ok`; on `Err` the consumer
    /// rewinds to it and returns [`ConsumeError::Handler`]. An undecodable record is written to
    /// the dead-letter topic instead.
    pub fn poll<H, F>(&self, timeout: Duration, handler: F) -> Result<Polled, ConsumeError<H>>
    where
        F: FnOnce(Received<E>) -> Result<(), H>,
    {
        let message = match self.consumer.poll(timeout) {
            None => return Ok(Polled::Idle),
            Some(Err(error)) => return Err(ConsumeError::Poll(error)),
            Some(Ok(message)) => message,
        };
        let position = RecordPosition {
            topic: message.topic().to_owned(),
            partition: message.partition(),
            offset: message.offset(),
        };
        let value = message.payload().unwrap_or_default();
        let event_type_header = message.headers().and_then(|headers| {
            headers
                .iter()
                .find(|header| header.key == EVENT_TYPE_HEADER)
                .and_then(|header| header.value)
        });
        match E::decode(event_type_header, value) {
            Ok(event) => {
                let event_type = event.event_type();
                let received = Received {
                    event,
                    position: position.clone(),
                    key: message.key().map(<[u8]>::to_vec),
                };
                if let Err(source) = handler(received) {
                    self.rewind(&position)?;
                    return Err(ConsumeError::Handler { position, source });
                }
                self.store_offset(&message, &position)?;
                Ok(Polled::Handled {
                    event_type,
                    position,
                })
            }
            Err(reason) => {
                let dead_letter_topic = self.dead_letter(&message, &position, &reason)?;
                self.store_offset(&message, &position)?;
                Ok(Polled::DeadLettered {
                    position,
                    dead_letter_topic,
                    reason,
                })
            }
        }
    }

    /// Commits the stored offsets now and waits for the broker (the background commit runs
    /// every `auto.commit.interval.ms`; call this before a planned shutdown). A consumer whose
    /// offsets go in transactions has none stored: this commits nothing.
    pub fn commit(&self) -> Result<(), KafkaError> {
        match self.consumer.commit_consumer_state(CommitMode::Sync) {
            Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => Ok(()),
            other => other,
        }
    }

    /// The group's lag on the partitions assigned to this member: the high watermark minus
    /// the committed offset (what [`commit`](Self::commit) or the background commit wrote).
    pub fn lag(&self, timeout: Duration) -> Result<Vec<PartitionLag>, KafkaError> {
        lag_of(&self.consumer, self.consumer.assignment()?, timeout)
    }

    /// Writes `message` to its dead-letter topic and waits for the broker's confirmation.
    fn dead_letter<H>(
        &self,
        message: &BorrowedMessage<'_>,
        position: &RecordPosition,
        reason: &DispatchError,
    ) -> Result<String, ConsumeError<H>> {
        let topic = dead_letter_topic(message.topic(), &self.dead_letter_suffix);
        let headers = dead_letter_headers(message.headers(), reason, position, &self.group_id);
        let delivered = self
            .dead_letters
            .enqueue_raw(
                Cow::Owned(topic.clone()),
                message.key(),
                headers,
                message.payload().unwrap_or_default(),
            )
            .and_then(|pending| pending.wait());
        match delivered {
            Ok(_) => Ok(topic),
            Err(source) => {
                self.rewind(position)?;
                Err(ConsumeError::DeadLetter {
                    position: position.clone(),
                    reason: Box::new(reason.clone()),
                    source: Box::new(source),
                })
            }
        }
    }

    /// Stores the record's offset for the consumer's commits; with
    /// [`OffsetCommits::Transaction`] nothing is stored, so the consumer can commit nothing
    /// outside a transaction (the transaction takes the consumer's position instead).
    fn store_offset<H>(
        &self,
        message: &BorrowedMessage<'_>,
        position: &RecordPosition,
    ) -> Result<(), ConsumeError<H>> {
        if self.offsets == OffsetCommits::Transaction {
            return Ok(());
        }
        self.consumer
            .store_offset_from_message(message)
            .map_err(|source| ConsumeError::StoreOffset {
                position: position.clone(),
                source,
            })
    }

    /// Makes the next fetch of the record's partition start at the record again.
    fn rewind<H>(&self, position: &RecordPosition) -> Result<(), ConsumeError<H>> {
        self.consumer
            .seek(
                &position.topic,
                position.partition,
                Offset::Offset(position.offset),
                Duration::from_secs(10),
            )
            .map_err(|source| ConsumeError::Rewind {
                position: position.clone(),
                source,
            })
    }
}
