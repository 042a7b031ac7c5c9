//! The producer: validated events to their topics, batched, idempotent, each delivery confirmed.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use event_core::codec::{
    CodecError, DomainEvents, HeaderSet, KafkaRecord, RecordOptions, WireFormat, CORRELATION_HEADER,
};
use event_core::{Envelope, KafkaEvent};
use futures_channel::oneshot;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::OwnedHeaders;
use rdkafka::producer::{BaseRecord, Producer, ThreadedProducer};
use tracing::Span;

use crate::config::{create_client_with_context, KafkaConfig};
use crate::delivery::{Awaiting, Deliveries, DeliveryReport, Outcome};
use crate::personal::{fields_of, fields_of_domain, EventFields, PersonalData};
use crate::route::{Route, Routes};
use crate::telemetry::{
    self, record_bytes, ProducerMetrics, ProducerStatistics, SendInstruments, Sending,
    STATISTICS_INTERVAL_MS,
};
use crate::ClientError;

/// The producer's settings before the user's own ([`KafkaConfig::set`] wins):
/// idempotence (which implies `acks=all` and ordered retries), batches of up to 5 ms
/// compressed with lz4 (the codec the catalog's topics store, so the broker keeps the batches
/// as they come instead of recompressing them), and a delivery given up after two minutes —
/// reported to the caller, never dropped in silence. librdkafka's statistics every 5 s feed the
/// queue-depth gauge ([`telemetry`](crate::telemetry)). Keyed records are partitioned with
/// murmur2 (`murmur2_random`), as the Java client, franz-go and KafkaJS do by default, so one
/// key lands in one partition whichever language wrote it (librdkafka's own default, CRC32,
/// would put it elsewhere).
pub const PRODUCER_DEFAULTS: &[(&str, &str)] = &[
    ("enable.idempotence", "true"),
    ("partitioner", "murmur2_random"),
    ("acks", "all"),
    ("linger.ms", "5"),
    ("compression.type", "lz4"),
    ("batch.num.messages", "10000"),
    ("message.timeout.ms", "120000"),
    ("queue.buffering.max.messages", "200000"),
    ("statistics.interval.ms", STATISTICS_INTERVAL_MS),
];

/// Why an event was not published.
#[derive(Debug, thiserror::Error)]
pub enum ProduceError {
    /// The event carries personal data and the producer has no key provider
    /// ([`EventProducer::with_personal_data`]); it was not sent in clear. Examples and tests
    /// may allow it: [`EventProducer::allow_clear_personal_data`].
    #[error("{event_type}: not sent: it carries personal data and the producer has no key provider to encrypt it")]
    PersonalDataInClear {
        /// The event.
        event_type: &'static str,
    },
    /// Its personal data could not be encrypted (key provider or key store failed, no data
    /// subject): it was not sent.
    #[error("{event_type}: not sent: {source}")]
    PersonalData {
        /// The event.
        event_type: &'static str,
        /// Why.
        source: crate::personal::PersonalDataError,
    },
    /// The producer could not be created (a consumer makes its dead-letter producer at its
    /// first dead letter).
    #[error("{0}")]
    Create(#[source] Box<ClientError>),
    /// The domain enum's [`DomainEvents::visit_events`] does not visit the event's type, so
    /// its topic and personal fields are unknown: it was not sent. (A derived enum visits every
    /// variant; only a hand-written impl can miss one.)
    #[error("{event_type}: not sent: its domain enum's `visit_events` does not list it, so its topic and personal fields are unknown")]
    NotListed {
        /// The event.
        event_type: &'static str,
    },
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
    /// The topic does not exist on the cluster (checked before writing, where the producer
    /// would otherwise wait out its delivery timeout).
    #[error("{topic}: the topic does not exist")]
    MissingTopic {
        /// The topic.
        topic: String,
    },
    /// The cluster's ACLs do not let this client's principal write the topic
    /// (`TOPIC_AUTHORIZATION_FAILED`): nothing was written. Grant it in the domain's
    /// declaration (`producers: [..]`) and apply the ACLs.
    #[error(
        "{topic}: this client's principal may not write the topic (the cluster's ACLs refused it)"
    )]
    Unauthorized {
        /// The topic.
        topic: String,
    },
    /// The cluster could not say whether the topic exists.
    #[error("{topic}: cannot read the topic's metadata: {source}")]
    Metadata {
        /// The topic.
        topic: String,
        /// Why.
        source: KafkaError,
    },
    /// librdkafka raised a fatal error (an idempotent producer whose sequence the broker no
    /// longer accepts …): this producer can send nothing more. Create a new one; records it
    /// had not delivered were reported to their [`PendingDelivery`].
    #[error("the producer failed for good ({code}): {reason}")]
    Fatal {
        /// librdkafka's code of the underlying error.
        code: RDKafkaErrorCode,
        /// librdkafka's description.
        reason: String,
    },
    /// [`EventProducer::close`]: records still undelivered when the timeout ran out; their
    /// [`PendingDelivery`] report each one's failure.
    #[error("closed with {count} record(s) undelivered after {waited:?}")]
    Undelivered {
        /// How many.
        count: i32,
        /// How long the producer waited for them.
        waited: Duration,
    },
}

impl ProduceError {
    /// A stable, machine-readable name of the error, the `kind` label of
    /// [`PRODUCE_ERRORS_TOTAL`](event_core::metrics::PRODUCE_ERRORS_TOTAL): `invalid`,
    /// `personal_data_in_clear`, `personal_data`, `queue_full`, `too_large`, `enqueue`,
    /// `delivery`, `canceled`, `flush`, `missing_topic`, `unauthorized`, `metadata`, `fatal` or
    /// `undelivered`.
    ///
    /// ```
    /// # use event_kafka::ProduceError;
    /// let error = ProduceError::Unauthorized { topic: "game.combat.events".into() };
    /// assert_eq!(error.kind(), "unauthorized");
    /// ```
    pub fn kind(&self) -> &'static str {
        if self.is_fatal() {
            return "fatal";
        }
        if self.is_too_large() {
            return "too_large";
        }
        match self {
            ProduceError::PersonalDataInClear { .. } => "personal_data_in_clear",
            ProduceError::PersonalData { .. } => "personal_data",
            ProduceError::Invalid { .. } => "invalid",
            ProduceError::NotListed { .. } => "not_listed",
            ProduceError::Create(_) => "create",
            ProduceError::QueueFull { .. } => "queue_full",
            ProduceError::Enqueue { .. } => "enqueue",
            ProduceError::Delivery { .. } => "delivery",
            ProduceError::Canceled { .. } => "canceled",
            ProduceError::Flush(_) => "flush",
            ProduceError::MissingTopic { .. } => "missing_topic",
            ProduceError::Unauthorized { .. } => "unauthorized",
            ProduceError::Metadata { .. } => "metadata",
            ProduceError::Fatal { .. } => "fatal",
            ProduceError::Undelivered { .. } => "undelivered",
        }
    }

    /// Whether the record was refused for its size (by librdkafka's `message.max.bytes` or by
    /// the topic's `max.message.bytes`).
    pub fn is_too_large(&self) -> bool {
        let source = match self {
            ProduceError::Enqueue { source, .. } | ProduceError::Delivery { source, .. } => source,
            _ => return false,
        };
        matches!(
            source.rdkafka_error_code(),
            Some(RDKafkaErrorCode::MessageSizeTooLarge | RDKafkaErrorCode::InvalidMessageSize)
        )
    }

    /// Whether the producer that returned this error is dead for good
    /// ([`ProduceError::Fatal`], or a delivery that failed on librdkafka's fatal error).
    pub fn is_fatal(&self) -> bool {
        match self {
            ProduceError::Fatal { .. } => true,
            ProduceError::Delivery { source, .. } | ProduceError::Enqueue { source, .. } => {
                source.rdkafka_error_code() == Some(RDKafkaErrorCode::Fatal)
            }
            _ => false,
        }
    }
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
///
/// At high rates, confirm deliveries in batches (every few milliseconds, those handed over
/// meanwhile, most of them resolved by then) rather than parking a thread on each: a wake-up
/// per record cost about 1 CPU-µs per event in the `kafka_load` bench, more than the rest of
/// the delivery. Or hand records over without one
/// ([`EventProducer::enqueue_detached`]).
#[must_use = "a delivery is confirmed only by awaiting or waiting on it"]
pub struct PendingDelivery {
    topic: Cow<'static, str>,
    outcome: oneshot::Receiver<Outcome>,
    /// The event's route (its metrics) and when the record was handed over.
    report: Option<(Arc<Route>, Instant)>,
    /// The event's `send` span, ended when this is dropped: not while it is polled, where an
    /// OpenTelemetry exporter that blocks on its own executor (the simple span processor)
    /// would find itself inside [`wait`](Self::wait)'s.
    span: Span,
}

impl PendingDelivery {
    /// The delivery of a record to `topic`, and what the record carries to its report to
    /// resolve it.
    fn awaiting(topic: Cow<'static, str>) -> (Arc<Awaiting>, Self) {
        let (sender, outcome) = oneshot::channel();
        let pending = PendingDelivery {
            topic,
            outcome,
            report: None,
            span: Span::none(),
        };
        (Arc::new(Awaiting::Pending(sender)), pending)
    }

    /// Blocks the thread until the broker confirms or refuses the record.
    pub fn wait(self) -> Result<Delivery, ProduceError> {
        futures_executor::block_on(self)
    }
}

impl Future for PendingDelivery {
    type Output = Result<Delivery, ProduceError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let topic = self.topic.clone();
        let result = match Pin::new(&mut self.outcome).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Ok(Ok((partition, offset)))) => Ok(Delivery {
                topic,
                partition,
                offset,
            }),
            Poll::Ready(Ok(Err(source))) => Err(delivery_error(topic, source)),
            Poll::Ready(Err(_canceled)) => Err(ProduceError::Canceled { topic }),
        };
        if let Some((route, handed_over)) = self.report.take() {
            route.report.resolved(&result, Some(handed_over.elapsed()));
            if let Ok(delivery) = &result {
                telemetry::delivered(&self.span, delivery.partition, delivery.offset);
            }
        }
        Poll::Ready(result)
    }
}

/// A failed delivery as the caller should see it: [`ProduceError::Unauthorized`] when the
/// cluster's ACLs refused the write, else [`ProduceError::Delivery`].
pub(crate) fn delivery_error(topic: Cow<'static, str>, source: KafkaError) -> ProduceError {
    match source.rdkafka_error_code() {
        Some(RDKafkaErrorCode::TopicAuthorizationFailed) => ProduceError::Unauthorized {
            topic: topic.into_owned(),
        },
        _ => ProduceError::Delivery { topic, source },
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
///
/// **Dropping it** waits up to the close timeout (10 s, [`with_close_timeout`]) for the
/// records in flight; what is still undelivered then is purged and each such record's
/// [`PendingDelivery`] reports the failure. [`close`](Self::close) does the same and returns
/// how many records were left.
///
/// [`with_close_timeout`]: Self::with_close_timeout
pub struct EventProducer {
    pub(crate) producer: ThreadedProducer<Deliveries>,
    metrics: Arc<ProducerMetrics>,
    enqueue_timeout: Duration,
    close_timeout: Duration,
    topic_suffix: String,
    personal: PersonalFields,
    formats: WireFormats,
    headers: HeaderSet,
    /// Made from the topic suffix, the wire formats and the header set: emptied when one of
    /// them changes.
    routes: Routes,
}

/// How the producer writes values: one format for all, and domains that differ.
#[derive(Debug, Clone, Default)]
struct WireFormats {
    default: WireFormat,
    by_domain: Vec<(String, WireFormat)>,
}

impl WireFormats {
    /// The format of an event named `event_type` (its domain is its first segment).
    fn of(&self, event_type: &str) -> WireFormat {
        let domain = event_type.split('.').next().unwrap_or_default();
        self.by_domain
            .iter()
            .find(|(name, _)| name == domain)
            .map_or(self.default, |(_, format)| *format)
    }
}

/// What the producer does with personal data.
#[derive(Debug, Clone, Default)]
enum PersonalFields {
    /// Refuses events that carry any.
    #[default]
    Refused,
    /// Sends it in clear (examples, tests).
    Clear,
    /// Encrypts it.
    Encrypted(Arc<PersonalData>),
}

/// The topic label of an event whose topic is not known.
const UNKNOWN_TOPIC: &str = "unknown";

/// How long a dropped producer waits for its records in flight by default.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest an enqueue waits between two tries while the local queue is full.
const MAX_QUEUE_PAUSE: Duration = Duration::from_millis(50);

/// Waiting for room in a full local queue: pauses that double from 1 ms to
/// [`MAX_QUEUE_PAUSE`], and [`ProduceError::QueueFull`] once the enqueue timeout is spent,
/// counted from the first refusal. Nothing reads the clock until then: most records are
/// taken at the first try.
struct RoomWait {
    refused_at: Option<Instant>,
    timeout: Duration,
    pause: Duration,
}

impl RoomWait {
    fn new(timeout: Duration) -> Self {
        RoomWait {
            refused_at: None,
            timeout,
            pause: Duration::from_millis(1),
        }
    }

    /// The next pause before trying `topic` again, or the error when the time is up.
    fn next_pause(&mut self, topic: &str) -> Result<Duration, ProduceError> {
        let waited = self.refused_at.get_or_insert_with(Instant::now).elapsed();
        if waited >= self.timeout {
            return Err(ProduceError::QueueFull {
                topic: Cow::Owned(topic.to_owned()),
                waited,
            });
        }
        let pause = self.pause;
        self.pause = (pause * 2).min(MAX_QUEUE_PAUSE);
        Ok(pause)
    }
}

/// An event on its way: its validated record, the span it is sent in and its route (the
/// topic it goes to, with the producer's suffix, and its metrics).
struct Outgoing {
    record: KafkaRecord,
    span: Span,
    route: Arc<Route>,
}

/// The `service` label of a producer: its `client.id` (librdkafka's default: `rdkafka`).
fn service_of(config: &KafkaConfig) -> &str {
    config.get("client.id").unwrap_or("rdkafka")
}

/// A record as librdkafka takes it, with what it carries to its delivery report.
type Record<'a> = BaseRecord<'a, [u8], [u8], Arc<Awaiting>>;

/// What one try to hand a record to librdkafka did.
enum Enqueued<'a> {
    /// Handed over.
    Sent,
    /// The local queue is full; the record comes back to be tried again.
    QueueFull(Record<'a>),
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
        config.check_delivery_guarantees()?;
        let metrics = Arc::new(ProducerMetrics::new(service_of(config)));
        let producer = create_client_with_context(
            &config.client_config(PRODUCER_DEFAULTS.iter().chain(defaults)),
            Deliveries::new(ProducerStatistics::new(metrics.service().clone())),
            "producer",
        )?;
        Ok(EventProducer {
            producer,
            metrics,
            enqueue_timeout: Duration::from_secs(30),
            close_timeout: CLOSE_TIMEOUT,
            topic_suffix: String::new(),
            personal: PersonalFields::default(),
            formats: WireFormats::default(),
            headers: HeaderSet::default(),
            routes: Routes::default(),
        })
    }

    /// Encrypts the `#[event(pii)]` fields of every event before it leaves the process, each
    /// with its data subject's key (see [`personal`](crate::personal)). Without it, an event
    /// with personal data is refused ([`ProduceError::PersonalDataInClear`]).
    pub fn with_personal_data(mut self, personal: Arc<PersonalData>) -> Self {
        self.personal = PersonalFields::Encrypted(personal);
        self
    }

    /// Sends personal data in clear: for fictitious data only (catalog examples, tests).
    pub fn allow_clear_personal_data(mut self) -> Self {
        self.personal = PersonalFields::Clear;
        self
    }

    /// `record` with its personal fields (`fields`) encrypted, or refused.
    fn sealed(
        &self,
        fields: &EventFields,
        mut record: KafkaRecord,
        event_type: &'static str,
    ) -> Result<KafkaRecord, ProduceError> {
        if fields.paths.is_empty() {
            return Ok(record);
        }
        match &self.personal {
            PersonalFields::Clear => Ok(record),
            PersonalFields::Refused => Err(ProduceError::PersonalDataInClear { event_type }),
            PersonalFields::Encrypted(personal) => {
                personal
                    .seal_record(fields, &mut record)
                    .map_err(|source| ProduceError::PersonalData { event_type, source })?;
                Ok(record)
            }
        }
    }

    /// The route of the event named `event_type` whose personal fields `fields` gives (made
    /// at its first send; `None` when `fields` has none).
    fn route(
        &self,
        event_type: &'static str,
        fields: impl FnOnce() -> Option<Arc<EventFields>>,
    ) -> Option<Arc<Route>> {
        if let Some(route) = self.routes.get(event_type) {
            return Some(route);
        }
        let fields = fields()?;
        let report = DeliveryReport {
            topic: self.topic_named(fields.topic),
            instruments: self
                .metrics
                .of(fields.topic, &self.topic_suffix, event_type),
            metrics: Arc::clone(&self.metrics),
        };
        let options = self.record_options(event_type, &fields);
        Some(
            self.routes
                .keep_first(event_type, Route::new(options, fields, report)),
        )
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
        self.routes = Routes::default();
        self
    }

    /// Writes every event's value in `format` ([`WireFormat::Json`] by default). With
    /// [`WireFormat::Binary`] the value is the envelope's binary record (rkyv, layout order),
    /// announced by `content-type: application/vnd.kafka-events.rkyv`; the consumers of this
    /// crate read both formats, other languages read JSON only. Events without a binary form
    /// and events with personal data (their fields are sealed inside the JSON) stay JSON.
    ///
    /// ```no_run
    /// # use event_kafka::{EventProducer, KafkaConfig};
    /// use event_core::codec::WireFormat;
    /// let hot = EventProducer::new(&KafkaConfig::new("127.0.0.1:9092"))?.with_wire_format(WireFormat::Binary);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_wire_format(mut self, format: WireFormat) -> Self {
        self.formats.default = format;
        self.routes = Routes::default();
        self
    }

    /// Writes the events of `domain` (their name's first segment: `combat`) in `format`,
    /// whatever [`with_wire_format`](Self::with_wire_format) says: a hot-path domain in binary
    /// beside JSON for the rest.
    pub fn with_domain_wire_format(mut self, domain: &str, format: WireFormat) -> Self {
        self.formats.by_domain.retain(|(name, _)| name != domain);
        self.formats.by_domain.push((domain.to_owned(), format));
        self.routes = Routes::default();
        self
    }

    /// Writes `headers` on every record: [`HeaderSet::Full`] by default, [`HeaderSet::Lean`]
    /// (`event_type` alone, plus `content-type` on binary records) for hot-path producers,
    /// [`HeaderSet::None`] (no header on a JSON record) where every consumer reads the event
    /// type from the value. The consumers of every language read all three: the value carries
    /// the event type, the version and the correlation id either way.
    ///
    /// ```no_run
    /// # use event_kafka::{EventProducer, KafkaConfig};
    /// use event_core::codec::HeaderSet;
    /// let hot = EventProducer::new(&KafkaConfig::new("127.0.0.1:9092"))?.with_header_set(HeaderSet::Lean);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_header_set(mut self, headers: HeaderSet) -> Self {
        self.headers = headers;
        self.routes = Routes::default();
        self
    }

    /// The record options of an event named `event_type` with personal `fields`: binary only
    /// where asked for and no field is personal.
    fn record_options(&self, event_type: &str, fields: &EventFields) -> RecordOptions {
        let personal = !fields.paths.is_empty();
        let format = match self.formats.of(event_type) {
            WireFormat::Binary if !personal => WireFormat::Binary,
            _ => WireFormat::Json,
        };
        RecordOptions {
            format,
            headers: self.headers,
            ..RecordOptions::default()
        }
    }

    /// How long [`enqueue`](Self::enqueue) waits for room in a full local queue, from the
    /// queue's first refusal of the record, before it returns [`ProduceError::QueueFull`]
    /// (30 s by default).
    pub fn with_enqueue_timeout(mut self, timeout: Duration) -> Self {
        self.enqueue_timeout = timeout;
        self
    }

    /// How long dropping the producer waits for the records in flight (10 s by default).
    pub fn with_close_timeout(mut self, timeout: Duration) -> Self {
        self.close_timeout = timeout;
        self
    }

    /// Waits up to `timeout` for every record in flight, then closes the producer. Records
    /// still undelivered are purged (their [`PendingDelivery`] report it) and counted in
    /// [`ProduceError::Undelivered`].
    pub fn close(self, timeout: Duration) -> Result<(), ProduceError> {
        let started = Instant::now();
        // A flush that times out leaves the count below to say how many records remain.
        let _ = self.producer.flush(timeout);
        let count = self.producer.in_flight_count();
        if count > 0 {
            return Err(ProduceError::Undelivered {
                count,
                waited: started.elapsed(),
            });
        }
        Ok(())
    }

    /// Asks the cluster whether `topic` exists.
    pub(crate) fn check_topic_exists(
        &self,
        topic: &str,
        timeout: Duration,
    ) -> Result<(), ProduceError> {
        let metadata = self
            .producer
            .client()
            .fetch_metadata(Some(topic), timeout)
            .map_err(|source| ProduceError::Metadata {
                topic: topic.to_owned(),
                source,
            })?;
        let found = metadata.topics().iter().find(|found| found.name() == topic);
        match found.map(|found| found.error()) {
            Some(None) => Ok(()),
            Some(Some(code))
                if RDKafkaErrorCode::from(code) == RDKafkaErrorCode::TopicAuthorizationFailed =>
            {
                Err(ProduceError::Unauthorized {
                    topic: topic.to_owned(),
                })
            }
            Some(Some(code))
                if RDKafkaErrorCode::from(code) != RDKafkaErrorCode::UnknownTopicOrPartition =>
            {
                Err(ProduceError::Metadata {
                    topic: topic.to_owned(),
                    source: KafkaError::MetadataFetch(code.into()),
                })
            }
            _ => Err(ProduceError::MissingTopic {
                topic: topic.to_owned(),
            }),
        }
    }

    /// Validates `envelope` and hands its record to the producer; the returned
    /// [`PendingDelivery`] resolves when the broker confirmed it.
    pub fn enqueue<T: KafkaEvent>(
        &self,
        envelope: &Envelope<T>,
    ) -> Result<PendingDelivery, ProduceError> {
        self.enqueue_outgoing(self.outgoing_envelope(envelope)?)
    }

    /// [`enqueue`](Self::enqueue) for an event of a domain enum (`CombatEvent` …).
    pub fn enqueue_event<E: DomainEvents>(
        &self,
        event: &E,
    ) -> Result<PendingDelivery, ProduceError> {
        self.enqueue_outgoing(self.outgoing_event(event)?)
    }

    /// [`enqueue`](Self::enqueue) without a [`PendingDelivery`], for high rates: nothing waits
    /// per record. The delivery is counted in the metrics when the broker confirms it, and a
    /// failed one is handed to the failure handler
    /// ([`with_delivery_failure_handler`](Self::with_delivery_failure_handler); by default an
    /// error event), in the producer's polling thread. [`flush`](Self::flush) waits for every
    /// record handed over. The event's `send` span ends with the hand-over.
    ///
    /// The `kafka_load` bench's producer costs about 1 CPU-µs per event less this way than
    /// with a [`PendingDelivery`] per record confirmed by a thread of its own.
    pub fn enqueue_detached<T: KafkaEvent>(
        &self,
        envelope: &Envelope<T>,
    ) -> Result<(), ProduceError> {
        self.enqueue_outgoing_detached(self.outgoing_envelope(envelope)?)
    }

    /// [`enqueue_detached`](Self::enqueue_detached) for an event of a domain enum.
    pub fn enqueue_event_detached<E: DomainEvents>(&self, event: &E) -> Result<(), ProduceError> {
        self.enqueue_outgoing_detached(self.outgoing_event(event)?)
    }

    /// Hands each failed delivery of a record sent with
    /// [`enqueue_detached`](Self::enqueue_detached) to `handler` instead of logging it as an
    /// error event. It runs in the producer's polling thread: keep it short. Failures are
    /// counted in the metrics either way.
    ///
    /// ```no_run
    /// # use event_kafka::{EventProducer, KafkaConfig};
    /// # let config = KafkaConfig::new("localhost:9092");
    /// let failed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    /// let counted = std::sync::Arc::clone(&failed);
    /// let producer = EventProducer::new(&config)?.with_delivery_failure_handler(move |_error| {
    ///     counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    /// });
    /// # Ok::<(), event_kafka::ClientError>(())
    /// ```
    pub fn with_delivery_failure_handler(
        self,
        handler: impl Fn(&ProduceError) + Send + Sync + 'static,
    ) -> Self {
        self.producer
            .context()
            .set_failure_handler(Arc::new(handler));
        self
    }

    /// The validated record of `envelope`, with its span and route.
    fn outgoing_envelope<T: KafkaEvent>(
        &self,
        envelope: &Envelope<T>,
    ) -> Result<Outgoing, ProduceError> {
        let route = self.route(T::EVENT_TYPE, || Some(fields_of::<T>())).ok_or(
            ProduceError::NotListed {
                event_type: T::EVENT_TYPE,
            },
        )?;
        self.outgoing(route, T::EVENT_TYPE, envelope.event_id(), |route| {
            envelope.to_record_with(&route.options)
        })
    }

    /// The validated record of a domain enum's `event`, with its span and route.
    fn outgoing_event<E: DomainEvents>(&self, event: &E) -> Result<Outgoing, ProduceError> {
        let event_type = event.event_type();
        let route = self
            .route(event_type, || fields_of_domain::<E>(event_type))
            .ok_or_else(|| {
                let error = ProduceError::NotListed { event_type };
                self.metrics.failed(UNKNOWN_TOPIC, error.kind());
                error
            })?;
        self.outgoing(route, event_type, event.event_id(), |route| {
            event.to_record_with(&route.options)
        })
    }

    /// Publishes `envelope` and waits for the broker's confirmation. While the local queue is
    /// full it waits for room on a timer, never sleeping the caller's thread (an async
    /// runtime's worker stays free), for up to the enqueue timeout.
    pub async fn send<T: KafkaEvent>(
        &self,
        envelope: &Envelope<T>,
    ) -> Result<Delivery, ProduceError> {
        let outgoing = self.outgoing_envelope(envelope)?;
        let topic = outgoing.route.topic();
        let (mut record, pending) = self.awaited(topic, &outgoing.record);
        let mut room = RoomWait::new(self.enqueue_timeout);
        let handed_over = loop {
            match self.try_enqueue(topic, record) {
                Ok(Enqueued::Sent) => break Ok(pending),
                Ok(Enqueued::QueueFull(returned)) => match room.next_pause(topic) {
                    Ok(pause) => {
                        futures_timer::Delay::new(pause).await;
                        record = returned;
                    }
                    Err(error) => break Err(error),
                },
                Err(error) => break Err(error),
            }
        };
        self.reported(handed_over, outgoing)?.await
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

    /// `topic` with the producer's suffix.
    fn topic_named(&self, topic: &'static str) -> Cow<'static, str> {
        if self.topic_suffix.is_empty() {
            Cow::Borrowed(topic)
        } else {
            Cow::Owned(format!("{topic}{}", self.topic_suffix))
        }
    }

    /// Builds an event's record on its `route` (validated, in the route's wire format), seals
    /// its personal fields and opens its `send` span, with the span's trace context in the
    /// record's headers; a refusal is counted.
    fn outgoing(
        &self,
        route: Arc<Route>,
        event_type: &'static str,
        event_id: uuid::Uuid,
        build: impl FnOnce(&Route) -> Result<KafkaRecord, CodecError>,
    ) -> Result<Outgoing, ProduceError> {
        let built = build(&route)
            .map_err(|source| ProduceError::Invalid { event_type, source })
            .and_then(|record| self.sealed(&route.fields, record, event_type));
        let mut record = built.inspect_err(|error| {
            self.metrics.failed(route.topic(), error.kind());
        })?;
        let span = telemetry::send_span(&Sending {
            topic: route.topic(),
            event_type,
            event_id,
            key: record.key.as_deref(),
            correlation_id: record.header(CORRELATION_HEADER),
        });
        telemetry::inject(&span, &mut record.headers);
        Ok(Outgoing {
            record,
            span,
            route,
        })
    }

    /// Hands an event's record to librdkafka, waiting for room while the queue is full.
    fn enqueue_outgoing(&self, outgoing: Outgoing) -> Result<PendingDelivery, ProduceError> {
        let handed_over = {
            let _entered = outgoing.span.enter();
            let topic = outgoing.route.topic();
            let (record, pending) = self.awaited(topic, &outgoing.record);
            self.enqueue_blocking(topic, record).map(|()| pending)
        };
        self.reported(handed_over, outgoing)
    }

    /// Hands an event's record to librdkafka with its route's shared delivery report and no
    /// [`PendingDelivery`], waiting for room while the queue is full.
    fn enqueue_outgoing_detached(&self, outgoing: Outgoing) -> Result<(), ProduceError> {
        let Outgoing {
            record,
            span,
            route,
        } = outgoing;
        // The span ends with the hand-over: nothing holds it until the delivery.
        let _entered = span.enter();
        let topic = route.topic();
        let handed_over = self.base_record(topic, &record, Arc::clone(&route.detached));
        match self.enqueue_blocking(topic, handed_over) {
            Ok(()) => {
                count_handed_over(&route.report.instruments, &record);
                Ok(())
            }
            Err(error) => {
                self.metrics.failed(topic, error.kind());
                Err(error)
            }
        }
    }

    /// Counts an event handed over (or not) and lets its delivery report the rest.
    fn reported(
        &self,
        handed_over: Result<PendingDelivery, ProduceError>,
        outgoing: Outgoing,
    ) -> Result<PendingDelivery, ProduceError> {
        match handed_over {
            Ok(mut pending) => {
                count_handed_over(&outgoing.route.report.instruments, &outgoing.record);
                pending.report = Some((outgoing.route, Instant::now()));
                pending.span = outgoing.span;
                Ok(pending)
            }
            Err(error) => {
                self.metrics.failed(outgoing.route.topic(), error.kind());
                Err(error)
            }
        }
    }

    /// librdkafka's record for a validated record of ours, carrying `awaiting` to its report.
    fn base_record<'a>(
        &self,
        topic: &'a str,
        record: &'a KafkaRecord,
        awaiting: Arc<Awaiting>,
    ) -> Record<'a> {
        let mut base = BaseRecord::with_opaque_to(topic, awaiting).payload(record.value.as_slice());
        // No header list at all for a record without headers: librdkafka would allocate,
        // batch and free an empty one.
        if !record.headers.is_empty() {
            base = base.headers(headers(
                record.headers.iter().map(|(k, v)| (*k, v.as_slice())),
            ));
        }
        match &record.key {
            Some(key) => base.key(key.as_slice()),
            None => base,
        }
    }

    /// librdkafka's record for a validated record of ours, and the [`PendingDelivery`] its
    /// report resolves.
    // `&Cow`, not `&str`: the topic is cloned into the result, and a catalog topic (a
    // `&'static str`) is then not copied per record.
    #[allow(clippy::ptr_arg)]
    fn awaited<'a>(
        &self,
        topic: &'a Cow<'static, str>,
        record: &'a KafkaRecord,
    ) -> (Record<'a>, PendingDelivery) {
        let (awaiting, pending) = PendingDelivery::awaiting(topic.clone());
        (self.base_record(topic, record, awaiting), pending)
    }

    /// Hands bytes to librdkafka as they are (`None`: a null value, a tombstone): only for
    /// records whose value is already known to be what the topic should carry (dead letters,
    /// the key store's records).
    pub(crate) fn enqueue_raw(
        &self,
        topic: Cow<'static, str>,
        key: Option<&[u8]>,
        headers: OwnedHeaders,
        value: Option<&[u8]>,
    ) -> Result<PendingDelivery, ProduceError> {
        let (awaiting, pending) = PendingDelivery::awaiting(topic.clone());
        let mut record = BaseRecord::with_opaque_to(&topic, awaiting).headers(headers);
        if let Some(value) = value {
            record = record.payload(value);
        }
        if let Some(key) = key {
            record = record.key(key);
        }
        self.enqueue_blocking(&topic, record)?;
        Ok(pending)
    }

    /// Tries to hand `record` over until there is room, sleeping this thread in between (the
    /// producer's own thread drains the queue meanwhile), for up to the enqueue timeout.
    // `&Cow`, not `&str`: the topic is cloned into an error, and a catalog topic (a
    // `&'static str`) is then not copied.
    #[allow(clippy::ptr_arg)]
    fn enqueue_blocking(
        &self,
        topic: &Cow<'static, str>,
        mut record: Record<'_>,
    ) -> Result<(), ProduceError> {
        let mut room = RoomWait::new(self.enqueue_timeout);
        loop {
            match self.try_enqueue(topic, record)? {
                Enqueued::Sent => return Ok(()),
                Enqueued::QueueFull(returned) => {
                    std::thread::sleep(room.next_pause(topic)?);
                    record = returned;
                }
            }
        }
    }

    /// One try to hand `record` to librdkafka.
    // `&Cow`, not `&str`: the topic is cloned into an error, and a catalog topic (a
    // `&'static str`) is then not copied.
    #[allow(clippy::ptr_arg)]
    fn try_enqueue<'a>(
        &self,
        topic: &Cow<'static, str>,
        record: Record<'a>,
    ) -> Result<Enqueued<'a>, ProduceError> {
        match self.producer.send(record) {
            Ok(()) => Ok(Enqueued::Sent),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), returned)) => {
                Ok(Enqueued::QueueFull(returned))
            }
            Err((source, _)) => Err(self.enqueue_error(topic, source)),
        }
    }

    /// The error of a refused enqueue: [`ProduceError::Fatal`] with librdkafka's underlying
    /// reason when the producer is dead, [`ProduceError::Enqueue`] otherwise.
    // `&Cow`, not `&str`: the topic is cloned into the result, and a catalog topic (a
    // `&'static str`) is then not copied per record.
    #[allow(clippy::ptr_arg)]
    fn enqueue_error(&self, topic: &Cow<'static, str>, source: KafkaError) -> ProduceError {
        if source.rdkafka_error_code() == Some(RDKafkaErrorCode::Fatal) {
            if let Some((code, reason)) = self.producer.client().fatal_error() {
                return ProduceError::Fatal { code, reason };
            }
        }
        ProduceError::Enqueue {
            topic: topic.clone(),
            source,
        }
    }
}

impl Drop for EventProducer {
    /// Waits up to the close timeout for the records in flight; rdkafka then purges the rest,
    /// and their [`PendingDelivery`] report it.
    fn drop(&mut self) {
        // The outcome reaches each record's PendingDelivery; nothing more to report here.
        let _ = self.producer.flush(self.close_timeout);
    }
}

/// Counts a record handed to librdkafka, with its bytes.
fn count_handed_over(instruments: &SendInstruments, record: &KafkaRecord) {
    let headers = record
        .headers
        .iter()
        .map(|(name, value)| (name.as_bytes(), value.as_slice()));
    instruments.handed_over(record_bytes(record.key.as_deref(), &record.value, headers));
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

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::task::Poll;

    use event_core::{Envelope, KafkaEvent};

    use super::*;

    event_core::domain! {
        /// A domain of the tests.
        pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 3, retention_days: 1, priority: High }
    }

    #[derive(KafkaEvent, serde::Serialize, serde::Deserialize)]
    #[event("combat.player.attack", key = session_id)]
    pub struct Attack {
        pub session_id: uuid::Uuid,
    }

    fn attack() -> Envelope<Attack> {
        Envelope::new(Attack {
            session_id: uuid::Uuid::new_v4(),
        })
    }

    #[test]
    fn the_wait_for_room_counts_from_the_first_refusal_and_doubles_its_pauses() {
        // Wide margins: the pauses are only computed (nothing sleeps them), so the eight
        // calls take microseconds against the 200 ms timeout.
        let mut room = RoomWait::new(Duration::from_millis(200));
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(room.refused_at, None, "no clock read before a refusal");
        let pauses: Vec<_> = (0..8).map(|_| room.next_pause("t").ok()).collect();
        assert_eq!(
            pauses[0],
            Some(Duration::from_millis(1)),
            "the time before it is not counted"
        );
        assert_eq!(pauses[1], Some(Duration::from_millis(2)));
        assert_eq!(pauses[7], Some(MAX_QUEUE_PAUSE), "{pauses:?}");
        std::thread::sleep(Duration::from_millis(250));
        match room.next_pause("t") {
            Err(ProduceError::QueueFull { topic, waited }) => {
                assert_eq!(topic, "t");
                assert!(waited >= Duration::from_millis(200), "{waited:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_async_send_waits_for_room_without_holding_the_callers_thread() {
        // Nobody drains the queue (no broker), and it holds one record.
        let config = KafkaConfig::new("127.0.0.1:1").set("queue.buffering.max.messages", "1");
        let producer = EventProducer::new(&config)
            .expect("producer")
            .with_enqueue_timeout(Duration::from_millis(300))
            .with_close_timeout(Duration::ZERO);
        let _first = producer.enqueue(&attack()).expect("room for one");

        // One thread polls the send and a ticker side by side: a send that slept the thread
        // would let the ticker run only after it gave up.
        let envelope = attack();
        let mut send = pin!(producer.send(&envelope));
        let mut ticker = pin!(async {
            for _ in 0..5 {
                futures_timer::Delay::new(Duration::from_millis(10)).await;
            }
        });
        let mut ticker_done = false;
        let (result, ticked_first) = futures_executor::block_on(std::future::poll_fn(|cx| {
            if !ticker_done {
                ticker_done = ticker.as_mut().poll(cx).is_ready();
            }
            match send.as_mut().poll(cx) {
                Poll::Ready(result) => Poll::Ready((result, ticker_done)),
                Poll::Pending => Poll::Pending,
            }
        }));
        assert!(ticked_first, "the ticker finished while the send waited");
        assert!(
            matches!(result, Err(ProduceError::QueueFull { .. })),
            "{result:?}"
        );
    }

    /// A hand-written domain enum whose `visit_events` forgets its event.
    #[derive(Debug)]
    struct Unlisted(Envelope<SignalLost>);

    use crate::tests_support::SignalLost;
    use event_core::codec::{decode_envelope, DispatchError};

    impl DomainEvents for Unlisted {
        const DOMAIN: &'static str = "probe";
        const EVENT_TYPES: &'static [&'static str] = &[SignalLost::EVENT_TYPE];

        fn topics() -> Vec<&'static str> {
            vec![SignalLost::TOPIC]
        }

        fn decode_as(
            _: Option<&[u8]>,
            format: WireFormat,
            value: &[u8],
        ) -> Result<Self, DispatchError> {
            decode_envelope::<SignalLost>(format, value)
                .map(Unlisted)
                .map_err(|error| DispatchError::Codec {
                    event_type: SignalLost::EVENT_TYPE,
                    error,
                })
        }

        fn to_record_with(&self, options: &RecordOptions) -> Result<KafkaRecord, CodecError> {
            self.0.to_record_with(options)
        }

        fn event_type(&self) -> &'static str {
            SignalLost::EVENT_TYPE
        }

        fn event_id(&self) -> uuid::Uuid {
            self.0.event_id()
        }

        fn timestamp(&self) -> chrono::DateTime<chrono::Utc> {
            self.0.timestamp()
        }

        fn with_event_id(self, id: uuid::Uuid) -> Self {
            Unlisted(self.0.with_event_id(id))
        }

        fn with_timestamp(self, timestamp: chrono::DateTime<chrono::Utc>) -> Self {
            Unlisted(self.0.with_timestamp(timestamp))
        }

        fn visit_events<V: event_core::catalog::EventVisitor>(_: &mut V) {}

        fn examples() -> Vec<Self> {
            Vec::new()
        }
    }

    #[test]
    fn an_event_its_domain_enum_does_not_visit_is_refused_not_sent_unsealed() {
        let producer = EventProducer::new(&KafkaConfig::new("127.0.0.1:1"))
            .expect("producer")
            .with_close_timeout(Duration::ZERO);
        let event = Unlisted(Envelope::new(SignalLost {
            probe_id: uuid::Uuid::from_u128(8),
        }));
        let error = producer
            .enqueue_event_detached(&event)
            .expect_err("its personal fields are unknown");
        assert!(
            matches!(
                error,
                ProduceError::NotListed {
                    event_type: "probe.signal.lost"
                }
            ),
            "{error}"
        );
        assert_eq!(error.kind(), "not_listed");
    }
}
