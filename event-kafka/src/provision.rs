//! Provisioning: the exported topic configurations applied to a cluster, idempotently.
//! Missing topics are created; existing ones are compared and any drift is reported, never
//! changed behind the operator's back.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

use event_core::topic::TopicConfig;
use futures_executor::block_on;
use rdkafka::admin::{
    AdminClient, AdminOptions, ConfigResource, NewTopic, ResourceSpecifier, TopicReplication,
    TopicResult,
};
use rdkafka::client::DefaultClientContext;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};

use crate::config::{create_client, KafkaConfig};
use crate::wait::{self, Look};
use crate::ClientError;

/// How topics are provisioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionOptions {
    /// Replication factor instead of each config's own (`1` for a single-broker development
    /// cluster).
    pub replication_factor: Option<u16>,
    /// How long each request to the cluster may take.
    pub timeout: Duration,
}

impl Default for ProvisionOptions {
    fn default() -> Self {
        ProvisionOptions {
            replication_factor: None,
            timeout: Duration::from_secs(30),
        }
    }
}

/// `topics` renamed `<topic><suffix>`, settings unchanged: staging topics (`.staging`), or
/// topics of one's own on a shared cluster, for an
/// [`EventProducer::with_topic_suffix`](crate::EventProducer::with_topic_suffix). Apply it
/// before [`with_dead_letter_topics`](crate::with_dead_letter_topics), whose names follow.
///
/// ```
/// # use event_core::topic::TopicConfig;
/// let topics = vec![TopicConfig { topic: "game.combat.events".into(), partitions: 24, replication_factor: 3, config: vec![] }];
/// let staging = event_kafka::with_topic_suffix(topics, ".staging");
/// assert_eq!(staging[0].topic, "game.combat.events.staging");
/// ```
pub fn with_topic_suffix(topics: Vec<TopicConfig>, suffix: &str) -> Vec<TopicConfig> {
    topics
        .into_iter()
        .map(|mut config| {
            config.topic.push_str(suffix);
            config
        })
        .collect()
}

/// A setting of an existing topic that differs from its configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// `partitions`, `replication.factor` or a topic config key (`retention.ms` …).
    pub setting: String,
    /// The configured value.
    pub expected: String,
    /// The cluster's value; `None` when the cluster does not report the setting.
    pub actual: Option<String>,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.actual {
            Some(actual) => write!(
                f,
                "{}: expected {}, found {actual}",
                self.setting, self.expected
            ),
            None => write!(
                f,
                "{}: expected {}, not reported by the cluster",
                self.setting, self.expected
            ),
        }
    }
}

/// What provisioning found or did for one topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicStatus {
    /// The topic did not exist and was created.
    Created,
    /// The topic exists with the configured settings.
    Unchanged,
    /// The topic exists with other settings; nothing was changed.
    Drifted(Vec<Drift>),
}

/// One topic's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicReport {
    /// The topic.
    pub topic: String,
    /// What was found or done.
    pub status: TopicStatus,
}

/// The outcome of [`provision`], one entry per topic in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProvisionReport {
    /// Every topic.
    pub topics: Vec<TopicReport>,
}

impl ProvisionReport {
    /// Whether any existing topic differs from its configuration.
    pub fn has_drift(&self) -> bool {
        self.topics
            .iter()
            .any(|topic| matches!(topic.status, TopicStatus::Drifted(_)))
    }

    /// The status of `topic`.
    pub fn status(&self, topic: &str) -> Option<&TopicStatus> {
        self.topics
            .iter()
            .find(|report| report.topic == topic)
            .map(|report| &report.status)
    }
}

impl fmt::Display for ProvisionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for report in &self.topics {
            match &report.status {
                TopicStatus::Created => writeln!(f, "created    {}", report.topic)?,
                TopicStatus::Unchanged => writeln!(f, "unchanged  {}", report.topic)?,
                TopicStatus::Drifted(drifts) => {
                    writeln!(f, "DRIFT      {}", report.topic)?;
                    for drift in drifts {
                        writeln!(f, "             {drift}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Why provisioning stopped.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// The admin client could not be created.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The cluster's metadata could not be read (unreachable, wrong credentials …).
    #[error("cannot read the cluster's metadata: {0}")]
    Metadata(KafkaError),
    /// A request to the cluster failed as a whole.
    #[error("{operation}: {source}")]
    Request {
        /// What was asked.
        operation: &'static str,
        /// Why it failed.
        source: KafkaError,
    },
    /// The cluster refused to create a topic.
    #[error("cannot create `{topic}`: {code}")]
    Create {
        /// The topic.
        topic: String,
        /// The cluster's error.
        code: RDKafkaErrorCode,
    },
    /// Topics the cluster created (or said already existed) did not become ready within the
    /// timeout: shown in its metadata with a leader for every partition, and each partition's
    /// leader answering for it.
    #[error("{} did not become ready to take records (every partition led, its leader answering) within {waited:?}", topics.join(", "))]
    NotReady {
        /// The topics.
        topics: Vec<String>,
        /// How long provisioning waited.
        waited: Duration,
    },
    /// The cluster refused to describe a topic's configuration.
    #[error("cannot describe the configuration of `{topic}`: {code}")]
    Describe {
        /// The topic.
        topic: String,
        /// The cluster's error.
        code: RDKafkaErrorCode,
    },
}

/// What the cluster has of an existing topic.
struct Existing {
    partitions: usize,
    replication_factor: usize,
    /// Every partition has a leader: records can be written and read.
    led: bool,
}

/// Applies `topics` to the cluster: creates those that are missing and reports, for those
/// that exist, every setting that differs (partitions, replication factor, each config key).
/// Running it twice changes nothing the second time.
///
/// It returns once every created topic shows in the cluster's metadata with a leader for each
/// partition, and each leader answers for its partition (a broker learns of new topics from
/// the controller a moment after they are created, and takes up leadership a moment after
/// its metadata names it), so producers and consumers started next find them ready. Writing
/// to a partition whose leader is not ready yet is not only slower: an idempotent producer's
/// first batches to it, refused and retried, can be answered out of order, and a refused one
/// then reported delivered without being written (see `docs/kafka.md`).
pub fn provision(
    config: &KafkaConfig,
    topics: &[TopicConfig],
    options: &ProvisionOptions,
) -> Result<ProvisionReport, ProvisionError> {
    let admin: AdminClient<DefaultClientContext> =
        create_client(&config.rdkafka_config(), "admin client")?;
    let admin_options = AdminOptions::new()
        .operation_timeout(Some(options.timeout))
        .request_timeout(Some(options.timeout));
    let replication = |topic: &TopicConfig| {
        options
            .replication_factor
            .unwrap_or(topic.replication_factor)
    };

    let existing = existing_topics(&admin, options.timeout)?;
    let missing: Vec<&TopicConfig> = topics
        .iter()
        .filter(|topic| !existing.contains_key(&topic.topic))
        .collect();
    let new_topics: Vec<NewTopic<'_>> = missing
        .iter()
        .map(|topic| {
            topic.config.iter().fold(
                NewTopic::new(
                    &topic.topic,
                    topic.partitions as i32,
                    TopicReplication::Fixed(i32::from(replication(topic))),
                ),
                |new_topic, (key, value)| new_topic.set(key, value),
            )
        })
        .collect();
    let mut created = Vec::new();
    if !new_topics.is_empty() {
        let results =
            block_on(admin.create_topics(&new_topics, &admin_options)).map_err(|source| {
                ProvisionError::Request {
                    operation: "create topics",
                    source,
                }
            })?;
        for result in results {
            created.push(creation_outcome(result)?);
        }
    }
    // Wait for the created ones (and any created concurrently by someone else, which are
    // compared like any existing topic) to show with leaders.
    let existing = if missing.is_empty() {
        existing
    } else {
        let started = Instant::now();
        let existing = wait_until_visible(&admin, &missing, options.timeout)?;
        wait_until_led(
            &admin,
            &missing,
            options.timeout.saturating_sub(started.elapsed()),
        )?;
        existing
    };

    let was_created =
        |topic: &TopicConfig| created.iter().flatten().any(|name| *name == topic.topic);
    let compared: Vec<&TopicConfig> = topics.iter().filter(|topic| !was_created(topic)).collect();
    let configs = described_configs(&admin, &admin_options, &compared)?;

    let mut report = ProvisionReport::default();
    for topic in topics {
        let status = if was_created(topic) {
            TopicStatus::Created
        } else {
            let actual = existing.get(&topic.topic);
            let mut drifts = Vec::new();
            compare(
                &mut drifts,
                "partitions",
                topic.partitions.to_string(),
                actual.map(|a| a.partitions.to_string()),
            );
            compare(
                &mut drifts,
                "replication.factor",
                replication(topic).to_string(),
                actual.map(|a| a.replication_factor.to_string()),
            );
            drifts.extend(config_drift(topic, configs.get(&topic.topic)));
            if drifts.is_empty() {
                TopicStatus::Unchanged
            } else {
                TopicStatus::Drifted(drifts)
            }
        };
        report.topics.push(TopicReport {
            topic: topic.topic.clone(),
            status,
        });
    }
    Ok(report)
}

/// `Some(name)` for a created topic, `None` for one that already existed.
fn creation_outcome(result: TopicResult) -> Result<Option<String>, ProvisionError> {
    match result {
        Ok(name) => Ok(Some(name)),
        Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => Ok(None),
        Err((topic, code)) => Err(ProvisionError::Create { topic, code }),
    }
}

/// Reads the metadata until every topic of `topics` shows with a leader for each partition.
fn wait_until_visible(
    admin: &AdminClient<DefaultClientContext>,
    topics: &[&TopicConfig],
    timeout: Duration,
) -> Result<HashMap<String, Existing>, ProvisionError> {
    wait::until(timeout, |_| {
        let existing = existing_topics(admin, timeout)?;
        let invisible: Vec<String> = topics
            .iter()
            .filter(|topic| !existing.get(&topic.topic).is_some_and(|found| found.led))
            .map(|topic| topic.topic.clone())
            .collect();
        Ok::<_, ProvisionError>(if invisible.is_empty() {
            Look::Done(existing)
        } else {
            Look::Pending(invisible)
        })
    })?
    .map_err(|(topics, waited)| ProvisionError::NotReady { topics, waited })
}

/// Asks each partition's leader for the partition's offsets until every one of `topics`
/// answers: a leader named in the metadata refuses requests until it has taken up the
/// partition.
fn wait_until_led(
    admin: &AdminClient<DefaultClientContext>,
    topics: &[&TopicConfig],
    timeout: Duration,
) -> Result<(), ProvisionError> {
    let mut waiting: Vec<(&str, i32)> = topics
        .iter()
        .flat_map(|topic| {
            (0..topic.partitions as i32).map(|partition| (topic.topic.as_str(), partition))
        })
        .collect();
    wait::until(timeout, |remaining| {
        waiting.retain(|(topic, partition)| {
            admin
                .inner()
                .fetch_watermarks(topic, *partition, remaining.min(Duration::from_secs(1)))
                .is_err()
        });
        let mut topics: Vec<String> = waiting
            .iter()
            .map(|(topic, _)| (*topic).to_owned())
            .collect();
        topics.dedup();
        Ok::<_, ProvisionError>(if topics.is_empty() {
            Look::Done(())
        } else {
            Look::Pending(topics)
        })
    })?
    .map_err(|(topics, waited)| ProvisionError::NotReady { topics, waited })
}

fn existing_topics(
    admin: &AdminClient<DefaultClientContext>,
    timeout: Duration,
) -> Result<HashMap<String, Existing>, ProvisionError> {
    let metadata = admin
        .inner()
        .fetch_metadata(None, timeout)
        .map_err(ProvisionError::Metadata)?;
    Ok(metadata
        .topics()
        .iter()
        .filter(|topic| topic.error().is_none())
        .map(|topic| {
            let replication_factor = topic
                .partitions()
                .iter()
                .map(|partition| partition.replicas().len())
                .max()
                .unwrap_or(0);
            (
                topic.name().to_owned(),
                Existing {
                    partitions: topic.partitions().len(),
                    replication_factor,
                    led: !topic.partitions().is_empty()
                        && topic
                            .partitions()
                            .iter()
                            .all(|partition| partition.leader() >= 0),
                },
            )
        })
        .collect())
}

fn compare(drifts: &mut Vec<Drift>, setting: &str, expected: String, actual: Option<String>) {
    if actual.as_deref() != Some(expected.as_str()) {
        drifts.push(Drift {
            setting: setting.to_owned(),
            expected,
            actual,
        });
    }
}

/// The configuration of each of `topics`, read with one DescribeConfigs request.
fn described_configs(
    admin: &AdminClient<DefaultClientContext>,
    admin_options: &AdminOptions,
    topics: &[&TopicConfig],
) -> Result<HashMap<String, ConfigResource>, ProvisionError> {
    if topics.is_empty() {
        return Ok(HashMap::new());
    }
    let resources: Vec<ResourceSpecifier<'_>> = topics
        .iter()
        .map(|topic| ResourceSpecifier::Topic(&topic.topic))
        .collect();
    let results =
        block_on(admin.describe_configs(&resources, admin_options)).map_err(|source| {
            ProvisionError::Request {
                operation: "describe topic configs",
                source,
            }
        })?;
    // The results come in the order of the resources asked for.
    topics
        .iter()
        .zip(results)
        .map(|(topic, result)| {
            result
                .map(|resource| (topic.topic.clone(), resource))
                .map_err(|code| ProvisionError::Describe {
                    topic: topic.topic.clone(),
                    code,
                })
        })
        .collect()
}

/// Every config key of `topic` whose value on the cluster (`actual`) differs.
fn config_drift(topic: &TopicConfig, actual: Option<&ConfigResource>) -> Vec<Drift> {
    let mut drifts = Vec::new();
    for (key, expected) in &topic.config {
        let value = actual
            .and_then(|resource| resource.get(key))
            .and_then(|entry| entry.value.clone());
        compare(&mut drifts, key, expected.clone(), value);
    }
    drifts
}
