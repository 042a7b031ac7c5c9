//! `--apply-topics` and `--publish-examples`: the catalog on a Kafka cluster.

use crate::catalog::Catalog;
use crate::cli::Connection;

/// Provisions the topics (`apply_topics`), then publishes the examples (`publish`).
#[cfg(feature = "kafka")]
pub fn run(
    catalog: &Catalog,
    connection: &Connection,
    apply_topics: bool,
    publish: bool,
) -> Result<(), String> {
    let config = kafka::config(connection)?;
    let suffix = connection.topic_suffix.as_deref().unwrap_or("");
    if apply_topics {
        kafka::apply_topics(catalog, &config, suffix, connection.replication_factor)?;
    }
    if publish {
        kafka::publish_examples(catalog, &config, suffix)?;
    }
    Ok(())
}

/// Without the `kafka` feature, the cluster commands explain what is missing.
#[cfg(not(feature = "kafka"))]
pub fn run(_: &Catalog, _: &Connection, _: bool, _: bool) -> Result<(), String> {
    Err("error: this binary was built without event-tools' `kafka` feature".to_owned())
}

#[cfg(feature = "kafka")]
mod kafka {
    use event_kafka::{
        provision, with_dead_letter_topics, with_topic_suffix, EventProducer, KafkaConfig,
        ProvisionOptions,
    };

    use crate::catalog::Catalog;
    use crate::cli::Connection;
    use crate::export::topic_configs;

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

    pub fn publish_examples(
        catalog: &Catalog,
        config: &KafkaConfig,
        suffix: &str,
    ) -> Result<(), String> {
        let producer = EventProducer::new(config)
            .map_err(|e| format!("error: {e}"))?
            .with_topic_suffix(suffix);
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
