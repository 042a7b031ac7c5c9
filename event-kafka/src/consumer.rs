//! The consumer: a domain's topics read into the domain's typed event enum, undecodable
//! records sent to a dead-letter topic, offsets committed only after success.

use std::borrow::Cow;
use std::collections::HashSet;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use event_core::codec::{event_type_of, DomainEvents, WireFormat};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{BorrowedMessage, Message};
use rdkafka::{Offset, TopicPartitionList};

use crate::audit::{Audit, AuditEvent, DEAD_LETTER_COUNT};
use crate::config::{create_client_with_context, KafkaConfig};
use crate::dead_letter::{
    dead_letter_headers, dead_letter_topic, reference_headers, DeadLetterReason, RecordPosition,
};
use crate::headers::{content_type_header, event_type_header, record_headers, RecordHeader};
use crate::lag::{lag_of, PartitionLag};
use crate::personal::{
    open_without_keys, PersonalData, PersonalDataError, ENCRYPTED_FIELDS_HEADER,
};
use crate::producer::{EventProducer, ProduceError};
use crate::retry::{Retries, RetryPolicy};
use crate::telemetry::{
    self, record_bytes, ConsumerMetrics, ConsumerStatistics, Processing, STATISTICS_INTERVAL_MS,
    UNKNOWN_EVENT_TYPE,
};
use crate::ClientError;
use event_core::personal::without_values;

/// The consumer's settings before the user's own: offsets are committed in the background
/// every second, from the earliest record for a new group; records of aborted transactions
/// are never read (`read_committed`, librdkafka's default, stated here).
///
/// A consumer that is behind fills librdkafka's queue of fetched records to its bound
/// (`queued.max.messages.kbytes`, 64 MiB); librdkafka then postpones each partition's next
/// fetch by `fetch.queue.backoff.ms`, 1 s by its default, more than the handler needs to empty
/// the queue, so the consumer waits with a backlog on the broker. With 100 ms, in the load
/// bench at 250 000 events/s, one consumer kept up (243 856/s, P99 37 ms) where with 1 s it
/// fell behind and read 56 583/s (docs/kafka.md).
pub const CONSUMER_DEFAULTS: &[(&str, &str)] = &[
    ("isolation.level", "read_committed"),
    ("enable.auto.commit", "true"),
    ("auto.commit.interval.ms", "1000"),
    ("auto.offset.reset", "earliest"),
    ("session.timeout.ms", "10000"),
    ("enable.partition.eof", "false"),
    ("fetch.queue.backoff.ms", "100"),
    ("statistics.interval.ms", STATISTICS_INTERVAL_MS),
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
    /// When a record is tried again, and when the handler is given up on.
    pub retry: RetryPolicy,
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
            retry: RetryPolicy::default(),
        }
    }

    /// Retries and gives up as `policy` says instead of [`RetryPolicy::default`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
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

    /// Dead letters in `<topic><suffix>` instead (provision them with the same suffix:
    /// [`with_dead_letter_topics`](crate::with_dead_letter_topics)). The suffix must not be
    /// empty (dead letters would go back to the topic they came from) and must keep topic
    /// names legal: [`EventConsumer::new`] refuses it otherwise.
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
    /// The record could not be read (or the handler gave up on it); it was written to the
    /// dead-letter topic (delivery confirmed) and its offset will be committed.
    DeadLettered {
        /// Where it was read.
        position: RecordPosition,
        /// The dead-letter topic.
        dead_letter_topic: String,
        /// Why it went there.
        reason: DeadLetterReason,
        /// The dead letter is a reference record: the one with the original key, value and
        /// headers was refused (larger than the topic takes), so only the `dlq.*` headers and
        /// the original's sizes were written.
        reference_only: bool,
    },
}

/// Why a poll did not complete. After a `Handler`, `HandlerPanicked` or `DeadLetter` error
/// the consumer rewound to the record and paused its partition for the
/// [`RetryPolicy::backoff`]; a later poll returns the record again: nothing is skipped.
#[derive(Debug, thiserror::Error)]
pub enum ConsumeError<H> {
    /// The handler failed (the `attempt`-th time in a row on this record).
    #[error("{position}: the handler failed (attempt {attempt}): {source}")]
    Handler {
        /// The record.
        position: RecordPosition,
        /// The handler's error.
        source: H,
        /// Failures in a row on this record, this one included.
        attempt: u32,
    },
    /// The record's personal data cannot be decrypted now: the key provider or the data-key
    /// store failed (the record is tried again after the backoff).
    #[error("{position}: cannot read the data keys (attempt {attempt}): {source}")]
    PersonalData {
        /// The record.
        position: RecordPosition,
        /// Why.
        source: Box<PersonalDataError>,
        /// Failures in a row on this record, this one included.
        attempt: u32,
    },
    /// The audit of what was read could not be published (it is tried again at the next poll,
    /// with the records read since).
    #[error("the audit was not published: {0}")]
    Audit(ProduceError),
    /// The handler panicked; the panic was caught and treated as a failure.
    #[error("{position}: the handler panicked (attempt {attempt}): {message}")]
    HandlerPanicked {
        /// The record.
        position: RecordPosition,
        /// The panic's message (or a placeholder when it carried no text).
        message: String,
        /// Failures in a row on this record, this one included.
        attempt: u32,
    },
    /// The record must go to the dead-letter topic and could not be written there.
    #[error("{position}: cannot write the dead letter ({reason}), attempt {attempt}: {source}")]
    DeadLetter {
        /// The record.
        position: RecordPosition,
        /// Why it is a dead letter.
        reason: Box<DeadLetterReason>,
        /// Why the dead letter was not written.
        source: Box<ProduceError>,
        /// Failures in a row on this record, this one included.
        attempt: u32,
    },
    /// Reading from the cluster failed (often transient: the next poll retries).
    #[error("poll: {0}")]
    Poll(KafkaError),
    /// The cluster's ACLs do not let this consumer's principal read a topic of the domain
    /// (`TOPIC_AUTHORIZATION_FAILED`) or use its consumer group (`GROUP_AUTHORIZATION_FAILED`):
    /// nothing is read until they do. Grant it in the domain's declaration (`consumers: [..]`,
    /// with a group named after the service) and apply the ACLs.
    #[error("this consumer's principal may not {what} (the cluster's ACLs refused it): {source}")]
    Unauthorized {
        /// `read the topic` or `use the consumer group`.
        what: &'static str,
        /// librdkafka's error, which names the resource.
        source: KafkaError,
    },
    /// The offset of a processed record could not be stored for commit.
    #[error("{position}: cannot store the offset: {source}")]
    StoreOffset {
        /// The record.
        position: RecordPosition,
        /// Why.
        source: KafkaError,
    },
    /// The consumer could not rewind to (or pause at) a record it did not finish, after
    /// `cause`. It stops: every later poll returns [`ConsumeError::Stopped`], so no later
    /// record's offset is committed past this one. Create a new consumer; the group resumes at
    /// its last committed offset.
    #[error("{position}: cannot rewind to the record: {source} (after: {cause_message})")]
    RewindFailed {
        /// The record.
        position: RecordPosition,
        /// Why the rewind failed.
        source: Box<KafkaError>,
        /// What made the rewind necessary (the handler's error …).
        cause: Box<ConsumeError<H>>,
        /// `cause` as it displays (kept apart so the error's own message needs no recursion).
        cause_message: String,
    },
    /// A paused partition could not be resumed (it is tried again at the next poll).
    #[error("{topic}/{partition}: cannot resume the partition: {source}")]
    Resume {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// Why.
        source: KafkaError,
    },
    /// The consumer stopped after a failed rewind at `position` ([`ConsumeError::RewindFailed`]).
    #[error("the consumer stopped after it could not rewind to {position}; create a new one")]
    Stopped {
        /// The record it could not rewind to.
        position: RecordPosition,
    },
}

/// A failed poll as the caller should see it: [`ConsumeError::Unauthorized`] when the
/// cluster's ACLs refused the topic or the group, else [`ConsumeError::Poll`].
fn poll_error<H>(error: KafkaError) -> ConsumeError<H> {
    match error.rdkafka_error_code() {
        Some(RDKafkaErrorCode::TopicAuthorizationFailed) => ConsumeError::Unauthorized {
            what: "read the topic",
            source: error,
        },
        Some(RDKafkaErrorCode::GroupAuthorizationFailed) => ConsumeError::Unauthorized {
            what: "use the consumer group",
            source: error,
        },
        _ => ConsumeError::Poll(error),
    }
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
/// A record that cannot be read (headers that are not readable, not JSON, unknown event
/// type, a broken constraint, a newer major version …) never reaches the handler and never
/// stops the consumer: it goes to `<topic>.dlq` with its original key, value and headers
/// (byte for byte), plus `dlq.error.kind`, `dlq.error.message` and `dlq.error.pointer`
/// (each capped at [`MAX_ERROR_TEXT_BYTES`](crate::MAX_ERROR_TEXT_BYTES)),
/// `dlq.source.topic`, `dlq.source.partition`, `dlq.source.offset` and
/// `dlq.consumer.group`. When the dead-letter topic refuses that record (larger than it
/// takes), a reference record goes there instead: the `dlq.*` headers, the original's sizes
/// and why the rest was left out; the original stays readable at its source position until
/// retention removes it.
///
/// **Failures wait and are bounded.** When the handler returns an error or panics, or a dead
/// letter cannot be written, the consumer rewinds to the record and pauses its partition for
/// a backoff that doubles per failure ([`RetryPolicy`]); the other partitions go on. After
/// [`RetryPolicy::dead_letter_after`] handler failures on one record it is dead-lettered with
/// kind `handler_failed`. A dead-letter topic that does not exist is reported at once
/// ([`ProduceError::MissingTopic`]), not after a delivery timeout.
///
/// ```no_run
/// use event_core::codec::{DomainEvents, WireFormat};
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
    pub(crate) consumer: BaseConsumer<ConsumerStatistics>,
    metrics: ConsumerMetrics,
    config: KafkaConfig,
    /// Made at the first dead letter: a consumer that writes none runs no producer (no
    /// librdkafka instance, no polling thread).
    dead_letters: Mutex<Option<EventProducer>>,
    dead_letter_suffix: String,
    group_id: String,
    offsets: OffsetCommits,
    retry: RetryPolicy,
    retries: Mutex<Retries>,
    dead_letter_topics_seen: Mutex<HashSet<String>>,
    stopped_at: OnceLock<RecordPosition>,
    personal: Option<Arc<PersonalData>>,
    audit: Option<Mutex<Audit>>,
    events: PhantomData<fn() -> E>,
}

/// A record's value ready to decode, and how many personal fields were decrypted in it.
type Opened<'v> = (Cow<'v, [u8]>, usize);

/// Why [`EventConsumer::commit`] did not commit.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// The audit of what was read could not be published; nothing was committed.
    #[error("the audit was not published, so nothing was committed: {0}")]
    Audit(#[source] ProduceError),
    /// The broker refused the commit.
    #[error("commit: {0}")]
    Commit(#[source] KafkaError),
}

/// How long the consumer waits for the cluster's answer to whether a dead-letter topic exists.
const METADATA_TIMEOUT: Duration = Duration::from_secs(10);

/// Checks a dead-letter suffix: not empty, and only characters Kafka allows in topic names.
fn check_dead_letter_suffix(suffix: &str) -> Result<(), ClientError> {
    let reason = if suffix.is_empty() {
        "it is empty, so dead letters would go back to the topic they came from"
    } else if !suffix
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'))
    {
        "topic names take only ASCII letters, digits, `.`, `_` and `-`"
    } else {
        return Ok(());
    };
    Err(ClientError::Options {
        option: "dead_letter_suffix",
        value: suffix.to_owned(),
        reason,
    })
}

impl<E: DomainEvents> EventConsumer<E> {
    /// A consumer of `E`'s topics in `options.group_id`, subscribed.
    pub fn new(config: &KafkaConfig, options: ConsumerOptions) -> Result<Self, ClientError> {
        check_dead_letter_suffix(&options.dead_letter_suffix)?;
        // The dead-letter producer is made later; its settings are checked now.
        config.check_delivery_guarantees()?;
        let mut client = config.client_config(CONSUMER_DEFAULTS);
        client.set("group.id", &options.group_id);
        for (key, value) in AT_LEAST_ONCE {
            client.set(*key, *value);
        }
        if options.offsets == OffsetCommits::Transaction {
            client.set("enable.auto.commit", "false");
        }
        let consumer: BaseConsumer<ConsumerStatistics> = create_client_with_context(
            &client,
            ConsumerStatistics::new(
                &options.group_id,
                client.get("isolation.level") != Some("read_uncommitted"),
            ),
            "consumer",
        )?;
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
            metrics: ConsumerMetrics::new(&options.group_id),
            dead_letters: Mutex::default(),
            config: config.clone(),
            dead_letter_suffix: options.dead_letter_suffix,
            group_id: options.group_id,
            offsets: options.offsets,
            retry: options.retry,
            retries: Mutex::default(),
            dead_letter_topics_seen: Mutex::default(),
            stopped_at: OnceLock::new(),
            personal: None,
            audit: None,
            events: PhantomData,
        })
    }

    /// Decrypts the personal fields of records with `personal`'s keys. Without it (or for a
    /// subject whose key was erased) they reach the handler as [`Personal::Sealed`](event_core::personal::Personal::Sealed).
    pub fn with_personal_data(mut self, personal: Arc<PersonalData>) -> Self {
        self.personal = Some(personal);
        self
    }

    /// Publishes what this consumer reads as `A` events through `producer` (the catalog's
    /// audit event, to its topic): who (group, client id, principal), which partitions and
    /// offsets, how many of each event type, how many personal fields were decrypted. Published
    /// before each [`commit`](Self::commit) and every [`AUDIT_INTERVAL`](crate::AUDIT_INTERVAL)
    /// while polling; a failed publication is an error of the poll or commit, and is tried
    /// again with the records since.
    pub fn with_audit<A: AuditEvent>(mut self, producer: EventProducer) -> Self {
        self.audit = Some(Mutex::new(Audit::new::<A>(
            producer,
            &self.config,
            &self.group_id,
        )));
        self
    }

    fn audit(&self) -> Option<MutexGuard<'_, Audit>> {
        self.audit.as_ref().map(|audit| {
            audit
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        })
    }

    /// The record's value with its encrypted fields opened (or marked sealed), when its
    /// headers say it has any, and how many were decrypted.
    fn opened<'v, H: std::fmt::Display>(
        &self,
        headers: &[RecordHeader<'_>],
        value: &'v [u8],
        position: &RecordPosition,
    ) -> Result<Result<Opened<'v>, DeadLetterReason>, ConsumeError<H>> {
        let listed = headers
            .iter()
            .find(|header| header.name == ENCRYPTED_FIELDS_HEADER.as_bytes());
        let Some(header) = listed else {
            return Ok(Ok((Cow::Borrowed(value), 0)));
        };
        let header = header.value.unwrap_or_default();
        let opened = match &self.personal {
            Some(personal) => personal.open(value, header),
            None => open_without_keys(value, header),
        };
        match opened {
            Ok(opened) => Ok(Ok((Cow::Owned(opened.value), opened.decrypted))),
            // The keys are out of reach for now: try the record again later.
            Err(source @ (PersonalDataError::Provider(_) | PersonalDataError::Store(_))) => {
                let attempt = self.retries().failures(position) + 1;
                let error = ConsumeError::PersonalData {
                    position: position.clone(),
                    source: Box::new(source),
                    attempt,
                };
                Err(self.back_off(position, error))
            }
            Err(source) => Ok(Err(DeadLetterReason::PersonalData {
                message: source.to_string(),
            })),
        }
    }

    /// Waits up to `timeout` for one record. A readable record is handed to `handler`; its
    /// offset is stored for commit when the handler returns `Ok`; on `Err` (or a panic) the
    /// consumer rewinds to it, pauses its partition for the backoff and returns
    /// [`ConsumeError::Handler`] (or [`ConsumeError::HandlerPanicked`]). A record that cannot
    /// be read is written to the dead-letter topic instead.
    pub fn poll<H, F>(&self, timeout: Duration, handler: F) -> Result<Polled, ConsumeError<H>>
    where
        H: std::fmt::Display,
        F: FnOnce(Received<E>) -> Result<(), H>,
    {
        if let Some(position) = self.stopped_at.get() {
            return Err(ConsumeError::Stopped {
                position: position.clone(),
            });
        }
        if let Some(mut audit) = self.audit() {
            audit.publish_if_due(false).map_err(ConsumeError::Audit)?;
        }
        // The usual case: no partition waits for a retry and a record is ready. Taken without
        // a wait, it needs no deadline: no clock read, no second look at the retries.
        if self.retries().next_due().is_none() {
            match self.consumer.poll(Duration::ZERO) {
                Some(Ok(message)) => return self.process(&message, handler),
                Some(Err(error)) => return Err(poll_error(error)),
                None => {}
            }
        }
        let mut now = Instant::now();
        let deadline = now + timeout;
        loop {
            self.resume_due(now)?;
            // Wake up for a paused partition that is due before the deadline.
            let until = self
                .retries()
                .next_due()
                .map_or(deadline, |due| due.min(deadline));
            match self.consumer.poll(until.saturating_duration_since(now)) {
                Some(Ok(message)) => return self.process(&message, handler),
                Some(Err(error)) => return Err(poll_error(error)),
                None => {
                    now = Instant::now();
                    if now >= deadline {
                        return Ok(Polled::Idle);
                    }
                }
            }
        }
    }

    /// Reads one record and hands it to the handler or to the dead-letter topic.
    fn process<H, F>(
        &self,
        message: &BorrowedMessage<'_>,
        handler: F,
    ) -> Result<Polled, ConsumeError<H>>
    where
        H: std::fmt::Display,
        F: FnOnce(Received<E>) -> Result<(), H>,
    {
        let position = RecordPosition {
            topic: message.topic().to_owned(),
            partition: message.partition(),
            offset: message.offset(),
        };
        let payload = message.payload().unwrap_or_default();
        let headers = record_headers(message);
        let size = record_bytes(
            message.key(),
            payload,
            headers
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|header| (header.name, header.value.unwrap_or_default())),
        );
        let mut decrypted = 0;
        let decoded = match &headers {
            Ok(headers) => match self.opened(headers, payload, &position)? {
                Ok((value, opened)) => {
                    decrypted = opened;
                    event_type_header(headers)
                        .map_err(DeadLetterReason::from)
                        .and_then(|event_type| {
                            let format = WireFormat::of(content_type_header(headers))?;
                            Ok(E::decode_as(event_type, format, &value)?)
                        })
                }
                Err(reason) => Err(reason),
            },
            Err(error) => Err(DeadLetterReason::from(error.clone())),
        };
        let (event_type, event_id) = match &decoded {
            Ok(event) => (event.event_type(), Some(event.event_id())),
            Err(_) => (
                headers.as_deref().map_or(UNKNOWN_EVENT_TYPE, |headers| {
                    known_event_type::<E>(headers, payload)
                }),
                None,
            ),
        };
        // Opened once the record is decoded, so every field is given at creation.
        let span = telemetry::process_span(
            &Processing {
                topic: &position.topic,
                partition: position.partition,
                offset: position.offset,
                group: &self.group_id,
                key: message.key(),
                event_type,
                event_id,
            },
            headers.as_deref().unwrap_or_default(),
        );
        let _entered = span.enter();
        let event = match decoded {
            Ok(event) => event,
            Err(reason) => {
                self.metrics.of(&position.topic, event_type).read(size);
                return self.dead_letter_and_store(message, position, reason);
            }
        };
        let instruments = self.metrics.of(&position.topic, event_type);
        instruments.read(size);
        let created = event.timestamp();
        let received = Received {
            event,
            position: position.clone(),
            key: message.key().map(<[u8]>::to_vec),
        };
        // A panicking handler is a failing handler: the record is rewound, not committed past.
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| handler(received)));
        instruments.handled(started.elapsed());
        let failure = match outcome {
            Ok(Ok(())) => {
                // The wall clock as it is: `Utc::now` would make a calendar date of it.
                if let Ok(age) = SystemTime::now().duration_since(created.into()) {
                    instruments.end_to_end(age);
                }
                self.retries().settled(&position);
                self.store_offset(message, &position)?;
                if let Some(mut audit) = self.audit() {
                    audit.record(
                        &position.topic,
                        position.partition,
                        position.offset,
                        event_type,
                        decrypted,
                    );
                }
                return Ok(Polled::Handled {
                    event_type,
                    position,
                });
            }
            Ok(Err(source)) => HandlerFailure::Error(source),
            Err(panic) => HandlerFailure::Panic(panic_message(panic.as_ref())),
        };
        self.metrics.handler_failed(&position.topic);
        let attempt = self.retries().failures(&position) + 1;
        if self.retry.gives_up_after(attempt) {
            let last_error = match &failure {
                HandlerFailure::Error(source) => source.to_string(),
                HandlerFailure::Panic(message) => format!("panic: {message}"),
            };
            let reason = DeadLetterReason::HandlerGaveUp {
                attempts: attempt,
                last_error: without_values(&last_error),
            };
            return self.dead_letter_and_store(message, position, reason);
        }
        let error = match failure {
            HandlerFailure::Error(source) => ConsumeError::Handler {
                position: position.clone(),
                source,
                attempt,
            },
            HandlerFailure::Panic(message) => ConsumeError::HandlerPanicked {
                position: position.clone(),
                message,
                attempt,
            },
        };
        Err(self.back_off(&position, error))
    }

    /// Writes the record to its dead-letter topic and stores its offset; on failure, backs off.
    fn dead_letter_and_store<H: std::fmt::Display>(
        &self,
        message: &BorrowedMessage<'_>,
        position: RecordPosition,
        reason: DeadLetterReason,
    ) -> Result<Polled, ConsumeError<H>> {
        match self.dead_letter(message, &position, &reason) {
            Ok((dead_letter_topic, reference_only)) => {
                let unreadable = !matches!(reason, DeadLetterReason::HandlerGaveUp { .. });
                self.metrics
                    .dead_lettered(&position.topic, reason.kind(), unreadable);
                self.retries().settled(&position);
                self.store_offset(message, &position)?;
                if let Some(mut audit) = self.audit() {
                    audit.record(
                        &position.topic,
                        position.partition,
                        position.offset,
                        DEAD_LETTER_COUNT,
                        0,
                    );
                }
                Ok(Polled::DeadLettered {
                    position,
                    dead_letter_topic,
                    reason,
                    reference_only,
                })
            }
            Err(source) => {
                let attempt = self.retries().failures(&position) + 1;
                let error = ConsumeError::DeadLetter {
                    position: position.clone(),
                    reason: Box::new(reason),
                    source: Box::new(source),
                    attempt,
                };
                Err(self.back_off(&position, error))
            }
        }
    }

    /// Commits the stored offsets now and waits for the broker (the background commit runs
    /// every `auto.commit.interval.ms`; call this before a planned shutdown). A consumer whose
    /// offsets go in transactions has none stored: this commits nothing.
    ///
    /// With an audit ([`with_audit`](Self::with_audit)), what was read is published first;
    /// if that fails nothing is committed.
    pub fn commit(&self) -> Result<(), CommitError> {
        if let Some(mut audit) = self.audit() {
            audit.publish_if_due(true).map_err(CommitError::Audit)?;
        }
        match self.consumer.commit_consumer_state(CommitMode::Sync) {
            Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => Ok(()),
            other => other.map_err(CommitError::Commit),
        }
    }

    /// The group's lag on the partitions assigned to this member: the high watermark minus
    /// the committed offset (what [`commit`](Self::commit) or the background commit wrote).
    pub fn lag(&self, timeout: Duration) -> Result<Vec<PartitionLag>, KafkaError> {
        lag_of(&self.consumer, self.consumer.assignment()?, timeout)
    }

    /// Writes `message` to its dead-letter topic and waits for the broker's confirmation; when
    /// the topic refuses it for its size, writes a reference record instead. Returns the topic
    /// and whether only the reference was written.
    fn dead_letter(
        &self,
        message: &BorrowedMessage<'_>,
        position: &RecordPosition,
        reason: &DeadLetterReason,
    ) -> Result<(String, bool), ProduceError> {
        let topic = dead_letter_topic(message.topic(), &self.dead_letter_suffix);
        let mut slot = self
            .dead_letters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let producer = match &mut *slot {
            Some(producer) => producer,
            None => slot.insert(
                EventProducer::with_defaults(&self.config, DEAD_LETTER_DEFAULTS)
                    .map_err(|error| ProduceError::Create(Box::new(error)))?,
            ),
        };
        let written = self.write_dead_letter(producer, &topic, message, position, reason);
        if let Err(error) = &written {
            drop_if_fatal(&mut slot, error);
        }
        written.map(|reference_only| (topic, reference_only))
    }

    /// [`dead_letter`](Self::dead_letter) with `producer`: whether only a reference was
    /// written.
    fn write_dead_letter(
        &self,
        producer: &EventProducer,
        topic: &str,
        message: &BorrowedMessage<'_>,
        position: &RecordPosition,
        reason: &DeadLetterReason,
    ) -> Result<bool, ProduceError> {
        self.check_dead_letter_topic(producer, topic)?;
        let value = message.payload().unwrap_or_default();
        let headers = dead_letter_headers(message.headers(), reason, position, &self.group_id);
        let delivered = producer
            .enqueue_raw(
                Cow::Owned(topic.to_owned()),
                message.key(),
                headers,
                Some(value),
            )
            .and_then(|pending| pending.wait());
        match delivered {
            Ok(_) => Ok(false),
            Err(refused) if refused.is_too_large() => {
                let headers = reference_headers(
                    reason,
                    position,
                    &self.group_id,
                    (message.key(), value),
                    &refused.to_string(),
                );
                producer
                    .enqueue_raw(Cow::Owned(topic.to_owned()), None, headers, Some(&[]))
                    .and_then(|pending| pending.wait())?;
                Ok(true)
            }
            Err(other) => Err(other),
        }
    }

    /// Fails at once when the dead-letter topic does not exist (instead of after the
    /// producer's delivery timeout); a topic seen once is not asked about again.
    fn check_dead_letter_topic(
        &self,
        producer: &EventProducer,
        topic: &str,
    ) -> Result<(), ProduceError> {
        let mut seen = self
            .dead_letter_topics_seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.contains(topic) {
            return Ok(());
        }
        producer.check_topic_exists(topic, METADATA_TIMEOUT)?;
        seen.insert(topic.to_owned());
        Ok(())
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

    /// Makes the next fetch of the record's partition start at the record again, after the
    /// backoff of its failures: the partition is paused until then. If either fails, the
    /// consumer stops ([`ConsumeError::RewindFailed`]).
    fn back_off<H: std::fmt::Display>(
        &self,
        position: &RecordPosition,
        cause: ConsumeError<H>,
    ) -> ConsumeError<H> {
        self.retries().failed(position, &self.retry);
        let mut partition = TopicPartitionList::new();
        partition.add_partition(&position.topic, position.partition);
        let rewound = self
            .consumer
            .seek(
                &position.topic,
                position.partition,
                Offset::Offset(position.offset),
                Duration::from_secs(10),
            )
            .and_then(|()| self.consumer.pause(&partition));
        match rewound {
            Ok(()) => cause,
            Err(source) => {
                let _ = self.stopped_at.set(position.clone());
                ConsumeError::RewindFailed {
                    position: position.clone(),
                    source: Box::new(source),
                    cause_message: cause.to_string(),
                    cause: Box::new(cause),
                }
            }
        }
    }

    /// Resumes the paused partitions whose backoff is over at `now`.
    fn resume_due<H>(&self, now: Instant) -> Result<(), ConsumeError<H>> {
        let due = self.retries().due(now);
        for (topic, partition) in due {
            let mut list = TopicPartitionList::new();
            list.add_partition(&topic, partition);
            if let Err(source) = self.consumer.resume(&list) {
                let assigned = self
                    .consumer
                    .assignment()
                    .map(|assignment| assignment.find_partition(&topic, partition).is_some())
                    .unwrap_or(true);
                if assigned {
                    self.retries().still_paused(&topic, partition);
                    return Err(ConsumeError::Resume {
                        topic,
                        partition,
                        source,
                    });
                }
            }
        }
        Ok(())
    }

    fn retries(&self) -> MutexGuard<'_, Retries> {
        self.retries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The `event_type` label of a record that could not be decoded: the event type its header
/// names (without one, its value) when `E` has it, else `unknown` (a label never takes a value
/// from the outside world unchecked).
fn known_event_type<E: DomainEvents>(headers: &[RecordHeader<'_>], value: &[u8]) -> &'static str {
    let Ok(header) = event_type_header(headers) else {
        return UNKNOWN_EVENT_TYPE;
    };
    let named = event_type_of(header, value).ok();
    named
        .and_then(|name| E::EVENT_TYPES.iter().find(|known| **known == name))
        .copied()
        .unwrap_or(UNKNOWN_EVENT_TYPE)
}

/// Drops a dead-letter producer that failed for good (an idempotent producer's fatal error:
/// it sends nothing more), so that the next dead letter makes a fresh one.
fn drop_if_fatal(producer: &mut Option<EventProducer>, error: &ProduceError) {
    if error.is_fatal() {
        if let Some(failed) = producer.take() {
            // Nothing of it is worth waiting for: the records it held are reported failed.
            drop(failed.with_close_timeout(Duration::ZERO));
        }
    }
}

/// How a handler failed on a record.
enum HandlerFailure<H> {
    /// It returned this error.
    Error(H),
    /// It panicked with this message.
    Panic(String),
}

/// The text of a caught panic.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::raise_fatal_error;
    use rdkafka::producer::Producer;

    fn nowhere() -> KafkaConfig {
        KafkaConfig::new("127.0.0.1:1")
    }

    #[test]
    fn an_undecodable_record_is_labelled_by_its_header_else_its_value_if_known() {
        use crate::tests_support::Events;
        let header = |value: &'static [u8]| RecordHeader {
            name: b"event_type",
            value: Some(value),
        };
        let value = br#"{"event_id":"x","event_type":"probe.signal.sent","data":"#;
        let stranger = br#"{"event_id":"x","event_type":"probe.signal.forged","data":"#;
        assert_eq!(
            known_event_type::<Events>(&[], value),
            "probe.signal.sent",
            "no header: the value's"
        );
        assert_eq!(
            known_event_type::<Events>(&[header(b"probe.signal.sent")], stranger),
            "probe.signal.sent",
            "the header first"
        );
        assert_eq!(
            known_event_type::<Events>(&[], stranger),
            UNKNOWN_EVENT_TYPE
        );
        assert_eq!(known_event_type::<Events>(&[], b"\xff"), UNKNOWN_EVENT_TYPE);
        let twice = [header(b"probe.signal.sent"), header(b"probe.signal.sent")];
        assert_eq!(
            known_event_type::<Events>(&twice, value),
            UNKNOWN_EVENT_TYPE
        );
    }

    #[test]
    fn an_empty_or_illegal_dead_letter_suffix_is_refused() {
        for suffix in ["", ".dead letters", ".dlq/x"] {
            let error = check_dead_letter_suffix(suffix).expect_err(suffix);
            assert!(
                matches!(
                    error,
                    ClientError::Options {
                        option: "dead_letter_suffix",
                        ..
                    }
                ),
                "{error}"
            );
        }
        check_dead_letter_suffix(".errors").expect("legal");
    }

    #[test]
    fn a_fatal_error_is_typed_and_the_dead_letter_producer_is_dropped() {
        let config = nowhere();
        let producer = EventProducer::with_defaults(&config, DEAD_LETTER_DEFAULTS)
            .expect("producer")
            .with_close_timeout(Duration::ZERO);
        raise_fatal_error(producer.producer.client());
        let error = producer
            .enqueue_raw(Cow::Borrowed("t"), None, Default::default(), Some(b"x"))
            .err()
            .expect("a producer that failed for good refuses records");
        assert!(
            matches!(&error, ProduceError::Fatal { reason, .. } if reason.contains("raised by a test")),
            "{error}"
        );
        assert!(error.is_fatal());
        let mut slot = Some(producer);
        let refused = ProduceError::QueueFull {
            topic: Cow::Borrowed("t"),
            waited: Duration::ZERO,
        };
        drop_if_fatal(&mut slot, &refused);
        assert!(slot.is_some(), "kept after an error that is not fatal");
        drop_if_fatal(&mut slot, &error);
        assert!(
            slot.is_none(),
            "dropped: the next dead letter makes a fresh one"
        );
    }

    #[test]
    fn a_consumer_runs_no_dead_letter_producer_until_its_first_dead_letter() {
        let consumer = EventConsumer::<crate::tests_support::Events>::new(
            &nowhere(),
            ConsumerOptions::new("lazy"),
        )
        .expect("consumer");
        assert!(consumer.dead_letters.lock().expect("lock").is_none());
    }

    #[test]
    fn a_caught_panic_keeps_its_message() {
        let caught = catch_unwind(|| panic!("scoreboard {}", 7)).expect_err("panicked");
        assert_eq!(panic_message(caught.as_ref()), "scoreboard 7");
        let caught = catch_unwind(|| std::panic::panic_any(7_u8)).expect_err("panicked");
        assert_eq!(panic_message(caught.as_ref()), "a panic without a message");
    }
}
