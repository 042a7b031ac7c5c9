//! Transactions: validated events and a consumer's offsets written atomically, for
//! consume-transform-produce services (read a domain's events, write others, exactly once).

use std::sync::Arc;
use std::time::Duration;

use event_core::codec::DomainEvents;
use event_core::{Envelope, KafkaEvent};
use rdkafka::consumer::Consumer;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::Producer;

use crate::config::KafkaConfig;
use crate::consumer::EventConsumer;
use crate::personal::PersonalData;
use crate::producer::{EventProducer, PendingDelivery, ProduceError};
use crate::ClientError;

/// A transactional producer's settings beyond the producer's own (the user's still win): a
/// record must be delivered within the transaction's timeout (librdkafka refuses a
/// `message.timeout.ms` above `transaction.timeout.ms`), one minute like Kafka's default.
const TRANSACTION_DEFAULTS: &[(&str, &str)] = &[
    ("transaction.timeout.ms", "60000"),
    ("message.timeout.ms", "60000"),
];

/// Why a transactional step failed.
#[derive(Debug, thiserror::Error)]
pub enum TransactionError {
    /// A newer producer with the same `transactional.id` has started: this instance is a
    /// zombie (it was paused, partitioned away or presumed dead) and may write nothing more.
    /// Its open transaction is aborted by the cluster. Drop it; the newer instance carries on.
    #[error("{operation}: fenced: a newer producer took over transactional id `{transactional_id}`; this one must stop ({source})")]
    Fenced {
        /// What was being done.
        operation: &'static str,
        /// The producer's `transactional.id`.
        transactional_id: String,
        /// librdkafka's error.
        source: KafkaError,
    },
    /// The transaction cannot be committed (a record failed, a timeout …): call
    /// [`TransactionalProducer::abort`], then start again from the consumer's committed
    /// offsets.
    #[error("{operation}: the transaction must be aborted: {source}")]
    AbortRequired {
        /// What was being done.
        operation: &'static str,
        /// librdkafka's error.
        source: KafkaError,
    },
    /// The step failed; `retriable` says whether the same call may succeed when repeated.
    #[error("{operation}: {source}")]
    Failed {
        /// What was being done.
        operation: &'static str,
        /// Whether repeating the call may succeed.
        retriable: bool,
        /// librdkafka's error.
        source: KafkaError,
    },
    /// The consumer whose offsets were to be sent has not joined its group.
    #[error("send offsets: the consumer has not joined its group yet (poll it first)")]
    NotInGroup,
    /// An event was refused before it was sent (invalid, queue full …).
    #[error(transparent)]
    Produce(#[from] ProduceError),
    /// The producer could not be created.
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// A producer whose records become visible to `read_committed` consumers (the default of
/// [`EventConsumer`]) all together when the transaction commits, or never when it aborts.
///
/// A consume-transform-produce service reads with
/// [`ConsumerOptions::offsets_in_transactions`](crate::ConsumerOptions::offsets_in_transactions),
/// and for each batch: [`begin`](Self::begin), [`enqueue_event`](Self::enqueue_event) what it
/// derives, [`send_offsets`](Self::send_offsets) of the consumer, [`commit`](Self::commit).
/// The records and the consumed offsets are committed atomically: after a crash the group
/// resumes where the last committed transaction left it, and nothing it wrote twice is seen.
///
/// Each instance of a service needs a stable `transactional.id` (e.g. the service and its
/// partition or pod ordinal). A restarted instance with the same id fences the old one: the old
/// one's open transaction is aborted and its next call fails with
/// [`TransactionError::Fenced`].
///
/// ```no_run
/// use event_core::codec::DomainEvents;
/// use event_kafka::{ConsumerOptions, EventConsumer, KafkaConfig, Polled, TransactionalProducer};
///
/// fn rescore<E: DomainEvents>(config: &KafkaConfig) -> Result<(), Box<dyn std::error::Error>> {
///     let consumer = EventConsumer::<E>::new(config, ConsumerOptions::new("rescore").offsets_in_transactions())?;
///     let producer = TransactionalProducer::new(config, "rescore-0")?;
///     loop {
///         producer.begin()?;
///         for _ in 0..100 {
///             consumer.poll(std::time::Duration::from_millis(50), |received| {
///                 producer.enqueue_event(&received.event).map(drop) // …transformed
///             })?;
///         }
///         producer.send_offsets(&consumer)?;
///         producer.commit()?;
///     }
/// }
/// ```
pub struct TransactionalProducer {
    producer: EventProducer,
    transactional_id: String,
    timeout: Duration,
}

impl TransactionalProducer {
    /// A producer with `transactional.id` = `transactional_id` over `config` (and
    /// [`PRODUCER_DEFAULTS`](crate::PRODUCER_DEFAULTS), with transactions and deliveries that
    /// time out after a minute), registered with the cluster: this
    /// fences any older instance with the same id and aborts its open transaction.
    pub fn new(config: &KafkaConfig, transactional_id: &str) -> Result<Self, TransactionError> {
        Self::with_timeout(config, transactional_id, Duration::from_secs(30))
    }

    /// [`new`](Self::new) where registering, committing, aborting and sending offsets may each
    /// take up to `timeout` (30 s with `new`).
    pub fn with_timeout(
        config: &KafkaConfig,
        transactional_id: &str,
        timeout: Duration,
    ) -> Result<Self, TransactionError> {
        let config = config.clone().set("transactional.id", transactional_id);
        let producer = TransactionalProducer {
            producer: EventProducer::with_defaults(&config, TRANSACTION_DEFAULTS)?,
            transactional_id: transactional_id.to_owned(),
            timeout,
        };
        producer.classify(
            "init transactions",
            producer
                .producer
                .producer
                .init_transactions(producer.timeout),
        )?;
        Ok(producer)
    }

    /// Writes to `<topic><suffix>` (see [`EventProducer::with_topic_suffix`]).
    pub fn with_topic_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.producer = self.producer.with_topic_suffix(suffix);
        self
    }

    /// Encrypts personal data as [`EventProducer::with_personal_data`] does.
    pub fn with_personal_data(mut self, personal: Arc<PersonalData>) -> Self {
        self.producer = self.producer.with_personal_data(personal);
        self
    }

    /// Sends personal data in clear, as [`EventProducer::allow_clear_personal_data`].
    pub fn allow_clear_personal_data(mut self) -> Self {
        self.producer = self.producer.allow_clear_personal_data();
        self
    }

    /// Starts a transaction.
    pub fn begin(&self) -> Result<(), TransactionError> {
        self.classify("begin", self.producer.producer.begin_transaction())
    }

    /// Validates `envelope` and adds its record to the open transaction.
    pub fn enqueue<T: KafkaEvent>(
        &self,
        envelope: &Envelope<T>,
    ) -> Result<PendingDelivery, TransactionError> {
        Ok(self.producer.enqueue(envelope)?)
    }

    /// [`enqueue`](Self::enqueue) for an event of a domain enum.
    pub fn enqueue_event<E: DomainEvents>(
        &self,
        event: &E,
    ) -> Result<PendingDelivery, TransactionError> {
        Ok(self.producer.enqueue_event(event)?)
    }

    /// Adds `consumer`'s positions (the record after the last one it handled, per assigned
    /// partition) to the open transaction, as its group's offsets.
    pub fn send_offsets<E: DomainEvents>(
        &self,
        consumer: &EventConsumer<E>,
    ) -> Result<(), TransactionError> {
        let group = consumer
            .consumer
            .group_metadata()
            .ok_or(TransactionError::NotInGroup)?;
        let positions = self.classify("send offsets", consumer.consumer.position())?;
        self.classify(
            "send offsets",
            self.producer
                .producer
                .send_offsets_to_transaction(&positions, &group, self.timeout),
        )
    }

    /// Commits the open transaction: its records (every one is flushed first) and offsets
    /// become visible at once.
    pub fn commit(&self) -> Result<(), TransactionError> {
        self.classify(
            "commit",
            self.producer.producer.commit_transaction(self.timeout),
        )
    }

    /// Aborts the open transaction: `read_committed` consumers never see its records, and
    /// offsets sent in it are not committed.
    pub fn abort(&self) -> Result<(), TransactionError> {
        self.classify(
            "abort",
            self.producer.producer.abort_transaction(self.timeout),
        )
    }

    /// Sorts librdkafka's transactional errors into what the caller must do.
    fn classify<T>(
        &self,
        operation: &'static str,
        result: Result<T, KafkaError>,
    ) -> Result<T, TransactionError> {
        result.map_err(|source| {
            let code = source.rdkafka_error_code();
            let fenced = matches!(
                code,
                Some(
                    RDKafkaErrorCode::Fenced
                        | RDKafkaErrorCode::ProducerFenced
                        | RDKafkaErrorCode::InvalidProducerEpoch
                )
            );
            let (requires_abort, retriable) = match &source {
                KafkaError::Transaction(error) => {
                    (error.txn_requires_abort(), error.is_retriable())
                }
                _ => (false, false),
            };
            if fenced {
                TransactionError::Fenced {
                    operation,
                    transactional_id: self.transactional_id.clone(),
                    source,
                }
            } else if requires_abort {
                TransactionError::AbortRequired { operation, source }
            } else {
                TransactionError::Failed {
                    operation,
                    retriable,
                    source,
                }
            }
        })
    }
}
