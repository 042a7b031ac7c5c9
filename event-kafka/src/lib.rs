//! # event-kafka
//!
//! kafka-events on a real cluster: a producer that validates every event before it leaves the
//! process and confirms each delivery, consumers that hand a domain's topics to a handler as
//! the domain's typed event enum (with a dead-letter topic for what cannot be read, and
//! at-least-once commits), transactions for consume-transform-produce services, consumer lag,
//! and provisioning of the exported topic configurations.
//!
//! It speaks Kafka through librdkafka (the `rdkafka` crate, built from its bundled sources),
//! so it is a crate of its own: `event-core` stays free of C dependencies.
//!
//! ```no_run
//! use event_kafka::{provision, EventProducer, KafkaConfig, ProvisionOptions};
//! # use event_core::{Envelope, KafkaEvent};
//! # event_core::domain! { pub struct Combat { name: "combat", topic: "game.combat.events", partitions: 24, retention_days: 7, priority: High, key_fields: [session_id, player_id] } }
//! # #[derive(KafkaEvent, serde::Serialize, serde::Deserialize)]
//! # #[event("combat.player.attack")]
//! # pub struct Attack { pub session_id: uuid::Uuid, pub damage: u32 }
//! let config = KafkaConfig::from_env()?; // KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL …
//! let settings = event_core::topic::TopicSettings::of::<<Attack as KafkaEvent>::Domain>();
//! let topics = vec![event_core::topic::TopicConfig::new(&settings, Attack::VERSION.major())];
//! let report = provision(&config, &topics, &ProvisionOptions::default())?;
//! print!("{report}");
//!
//! let producer = EventProducer::new(&config)?;
//! producer.send_blocking(&Envelope::new(Attack { session_id: uuid::Uuid::new_v4(), damage: 7 }))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_code)]

mod acls;
mod audit;
mod by_event_type;
mod config;
mod consumer;
mod dead_letter;
mod delivery;
mod headers;
mod lag;
mod native;
mod native_acls;
pub mod personal;
mod producer;
mod provision;
mod retry;
mod route;
mod secrets;
pub mod telemetry;
#[cfg(test)]
mod tests_support;
mod transaction;
mod wait;

pub use acls::{apply_acls, AclEntry, AclError, AclOptions, AclReport};
pub use audit::{AccessSummary, AuditEvent, PartitionRead, AUDIT_INTERVAL, DEAD_LETTER_COUNT};
pub use config::{ConfigError, KafkaConfig, Pem};
pub use consumer::{
    CommitError, ConsumeError, ConsumerOptions, EventConsumer, OffsetCommits, Polled, Received,
    CONSUMER_DEFAULTS,
};
pub use dead_letter::{
    capped_error_text, dead_letter_config, dead_letter_topic, with_dead_letter_topics,
    DeadLetterReason, RecordPosition, CONSUMER_GROUP_HEADER, DEAD_LETTER_MIN_RETENTION_MS,
    DEAD_LETTER_SUFFIX, ERROR_KIND_HEADER, ERROR_MESSAGE_HEADER, ERROR_POINTER_HEADER,
    LEFT_OUT_HEADER, MAX_ERROR_TEXT_BYTES, ORIGINAL_KEY_SIZE_HEADER, ORIGINAL_VALUE_SIZE_HEADER,
    SOURCE_OFFSET_HEADER, SOURCE_PARTITION_HEADER, SOURCE_TOPIC_HEADER,
};
pub use headers::{event_type_header, record_headers, HeaderError, RecordHeader};
pub use lag::{consumer_group_lag, LagError, PartitionLag};
pub use producer::{Delivery, EventProducer, PendingDelivery, ProduceError, PRODUCER_DEFAULTS};
pub use provision::{
    provision, with_topic_suffix, Drift, ProvisionError, ProvisionOptions, ProvisionReport,
    TopicReport, TopicStatus,
};
pub use retry::RetryPolicy;
pub use secrets::{is_secret_property, LIBRDKAFKA_SENSITIVE_PROPERTIES};
#[cfg(feature = "prometheus")]
pub use telemetry::{prometheus_builder, serve_prometheus, PrometheusError};
pub use telemetry::{TRACEPARENT_HEADER, TRACESTATE_HEADER};
pub use transaction::{TransactionError, TransactionalProducer};

/// Re-exported so users name librdkafka's errors without depending on `rdkafka` themselves.
pub use rdkafka::error::KafkaError;

/// A Kafka client could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// librdkafka refused the configuration (an unknown property, a security protocol this
    /// build lacks …); its message names the property, and shows its value only when that is
    /// a known property holding no secret.
    #[error("cannot create the {role}: {source}")]
    Create {
        /// `producer`, `consumer` or `admin client`.
        role: &'static str,
        /// librdkafka's error.
        source: KafkaError,
    },
    /// An option has a value the client cannot work with.
    #[error("{option} `{value}` cannot be used: {reason}")]
    Options {
        /// The option.
        option: &'static str,
        /// Its value.
        value: String,
        /// Why not.
        reason: &'static str,
    },
    /// A producer's settings weaken what its acknowledgement means (`acks` other than `all`,
    /// `enable.idempotence=false`) and the caller did not accept that with
    /// [`KafkaConfig::accept_weaker_delivery`].
    #[error("`{property}={value}` lets an acknowledged event be lost or written twice; use the producer defaults (acks=all, idempotence on), or accept it with KafkaConfig::accept_weaker_delivery()")]
    WeakDelivery {
        /// The property.
        property: &'static str,
        /// Its value.
        value: String,
    },
    /// librdkafka could not set up TLS with the configured material: a CA, certificate or key
    /// file it cannot read or parse, or a key that does not belong to the certificate.
    #[error("cannot create the {role}: its TLS certificate or key is not usable: {message}")]
    Tls {
        /// `producer`, `consumer` or `admin client`.
        role: &'static str,
        /// librdkafka's reason (without secret values).
        message: String,
    },
    /// The consumer could not subscribe.
    #[error("cannot subscribe to {topics}: {source}")]
    Subscribe {
        /// The topics.
        topics: String,
        /// librdkafka's error.
        source: KafkaError,
    },
}
