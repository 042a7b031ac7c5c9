//! `--apply-topics`, `--apply-acls` and `--publish-examples`: the catalog on a Kafka cluster.

use crate::catalog::Catalog;
use crate::cli::{ClusterSteps, Connection};

/// Provisions the topics, then the ACLs, then publishes the examples, as `steps` asks.
#[cfg(feature = "kafka")]
pub fn run(catalog: &Catalog, connection: &Connection, steps: &ClusterSteps) -> Result<(), String> {
    let config = kafka::config(connection)?;
    let suffix = connection.topic_suffix.as_deref().unwrap_or("");
    if steps.apply_topics {
        kafka::apply_topics(catalog, &config, suffix, connection.replication_factor)?;
    }
    if steps.apply_acls {
        kafka::apply_access(catalog, &config, suffix, steps.prune_acls)?;
    }
    if steps.publish_examples {
        kafka::publish_examples(catalog, &config, suffix)?;
    }
    Ok(())
}

/// Without the `kafka` feature, the cluster commands explain what is missing.
#[cfg(not(feature = "kafka"))]
pub fn run(_: &Catalog, _: &Connection, _: &ClusterSteps) -> Result<(), String> {
    Err("error: this binary was built without event-tools' `kafka` feature".to_owned())
}

#[cfg(feature = "kafka")]
mod kafka {
    use event_kafka::{
        apply_acls, provision, with_dead_letter_topics, with_topic_suffix, AclOptions,
        EventProducer, KafkaConfig, ProvisionOptions,
    };

    use crate::catalog::Catalog;
    use crate::cli::Connection;
    use crate::export::{declared_bindings, topic_configs};

    /// `--kafka-config`, else `--bootstrap`, else the `KAFKA_*` environment; `--bootstrap`
    /// wins over the file's servers.
    pub fn config(connection: &Connection) -> Result<KafkaConfig, String> {
        let mut config = match &connection.properties {
            Some(path) => KafkaConfig::from_properties_file(path),
            None => match &connection.bootstrap {
                Some(bootstrap) => Ok(KafkaConfig::new(bootstrap.clone())),
                None => KafkaConfig::from_env(),
            },
        }
        .map_err(|e| format!("error: {e}"))?;
        if let Some(bootstrap) = &connection.bootstrap {
            config = config.set("bootstrap.servers", bootstrap.clone());
        }
        Ok(config)
    }

    pub fn apply_topics(
        catalog: &Catalog,
        config: &KafkaConfig,
        suffix: &str,
        replication_factor: Option<u16>,
    ) -> Result<(), String> {
        let topics = with_dead_letter_topics(
            with_topic_suffix(topic_configs(catalog.events()), suffix),
            event_kafka::DEAD_LETTER_SUFFIX,
        );
        let options = ProvisionOptions {
            replication_factor,
            ..ProvisionOptions::default()
        };
        let report = provision(config, &topics, &options)
            .map_err(|e| format!("error: {}: {e}", config.bootstrap_servers()))?;
        print!("{report}");
        if report.has_drift() {
            return Err(
                "error: some topics exist with other settings (listed above); nothing was changed"
                    .to_owned(),
            );
        }
        println!(
            "kafka-events: {} topics match their configuration on {}",
            report.topics.len(),
            config.bootstrap_servers()
        );
        Ok(())
    }

    /// The bindings of `acls/*.json`, for the topics with `suffix`.
    pub fn apply_access(
        catalog: &Catalog,
        config: &KafkaConfig,
        suffix: &str,
        prune: bool,
    ) -> Result<(), String> {
        let declared = declared_bindings(catalog.events(), suffix);
        if declared.is_empty() {
            println!("kafka-events: no domain declares its services; no ACL to apply");
            return Ok(());
        }
        let options = AclOptions {
            prune,
            ..AclOptions::default()
        };
        let report = apply_acls(config, &declared, &options)
            .map_err(|e| format!("error: {}: {e}", config.bootstrap_servers()))?;
        print!("{report}");
        if report.has_drift() {
            return Err("error: the cluster grants more on the catalog's topics and groups than the catalog declares (UNDECLARED above); nothing was deleted (--prune-acls deletes them)".to_owned());
        }
        println!(
            "kafka-events: {} ACL bindings match the catalog on {} ({} created, {} pruned)",
            declared.len(),
            config.bootstrap_servers(),
            report.created.len(),
            report.pruned.len()
        );
        Ok(())
    }

    pub fn publish_examples(
        catalog: &Catalog,
        config: &KafkaConfig,
        suffix: &str,
    ) -> Result<(), String> {
        // The examples' personal data is fictitious: it goes in clear.
        let producer = EventProducer::new(config)
            .map_err(|e| format!("error: {e}"))?
            .with_topic_suffix(suffix)
            .allow_clear_personal_data();
        let mut sent = Vec::new();
        for event in catalog.events() {
            let pending = (event.publish_example)(&producer).map_err(|e| format!("error: {e}"))?;
            sent.push((event.event_type(), pending));
        }
        let total = sent.len();
        let mut failed = 0;
        for (event_type, pending) in sent {
            match pending.wait() {
                Ok(delivery) => println!(
                    "published  {event_type:<34} {}[{}]@{}",
                    delivery.topic, delivery.partition, delivery.offset
                ),
                Err(error) => {
                    failed += 1;
                    println!("FAILED     {event_type:<34} {error}");
                }
            }
        }
        if failed > 0 {
            return Err(format!(
                "error: {failed} of {total} examples were not acknowledged (listed above)"
            ));
        }
        println!(
            "kafka-events: {total} examples acknowledged by {}",
            config.bootstrap_servers()
        );
        Ok(())
    }
}
