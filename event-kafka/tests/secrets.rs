//! No secret value in anything the crate formats: every sensitive property name librdkafka
//! knows, in other letter cases and misspelt, with a random value, through the settings'
//! `Debug`, every way of reading settings, and the errors of every client the crate creates.

use event_kafka::{
    provision, EventProducer, KafkaConfig, ProvisionOptions, LIBRDKAFKA_SENSITIVE_PROPERTIES,
};
use proptest::prelude::*;

/// librdkafka's sensitive properties and the Java client's `sasl.jaas.config`.
fn sensitive() -> Vec<&'static str> {
    LIBRDKAFKA_SENSITIVE_PROPERTIES
        .iter()
        .copied()
        .chain(["sasl.jaas.config"])
        .collect()
}

/// A sensitive name as written, upper-cased, or with one letter dropped (a typo librdkafka
/// refuses, quoting the value).
fn key_spelling() -> impl Strategy<Value = String> {
    let names = sensitive();
    (0..names.len(), 0..3u8, any::<prop::sample::Index>()).prop_map(move |(name, form, at)| {
        let name = names[name];
        match form {
            0 => name.to_owned(),
            1 => name.to_ascii_uppercase(),
            _ => {
                let mut typo = name.to_owned();
                typo.remove(at.index(name.len()));
                typo
            }
        }
    })
}

/// Everything the crate prints about `config` and the clients it cannot create from it.
fn formatted(config: &KafkaConfig) -> Vec<String> {
    let mut out = vec![format!("{config:?}")];
    if let Err(error) = EventProducer::new(config) {
        out.push(format!("{error} | {error:?}"));
    }
    let options = ProvisionOptions {
        timeout: std::time::Duration::from_millis(10),
        ..ProvisionOptions::default()
    };
    if let Err(error) = provision(config, &[], &options) {
        out.push(format!("{error} | {error:?}"));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_secret_value_is_ever_formatted(
        key in key_spelling(),
        secret in "zq[A-Za-z0-9]{14,30}",
        tls in any::<bool>(),
    ) {
        let mut config = KafkaConfig::new("127.0.0.1:1").set(&key, &secret);
        if tls {
            config = config.set("security.protocol", "SSL");
        }
        let mut out = formatted(&config);

        let variable = format!("KAFKA_{}", key.to_ascii_uppercase().replace('.', "_"));
        let from_env = KafkaConfig::from_vars([
            ("KAFKA_BOOTSTRAP_SERVERS".to_owned(), "127.0.0.1:1".to_owned()),
            (variable, secret.clone()),
        ]);
        match from_env {
            Ok(config) => out.extend(formatted(&config)),
            Err(error) => out.push(format!("{error} | {error:?}")),
        }

        for text in [
            format!("bootstrap.servers=127.0.0.1:1\n{key}={secret}\n"),
            format!("bootstrap.servers=127.0.0.1:1\n{key}={secret}\\u12zz\n"),
            format!("{key}={secret}\n"),
        ] {
            match KafkaConfig::from_properties(&text) {
                Ok(config) => out.extend(formatted(&config)),
                Err(error) => out.push(format!("{error} | {error:?}")),
            }
        }

        for text in out {
            prop_assert!(!text.contains(&secret), "`{key}` value in: {text}");
        }
    }
}

#[test]
fn a_misspelt_secret_is_refused_without_its_value() {
    let config = KafkaConfig::new("127.0.0.1:1").set("sasl.pasword", "hunter2hunter2");
    let error = EventProducer::new(&config)
        .err()
        .expect("an unknown property");
    let shown = format!("{error} | {error:?}");
    assert!(
        shown.contains("sasl.pasword"),
        "names the property: {shown}"
    );
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[test]
fn a_known_harmless_value_is_still_shown() {
    let config = KafkaConfig::new("127.0.0.1:1").set("compression.type", "zip");
    let error = EventProducer::new(&config).err().expect("an invalid value");
    assert!(error.to_string().contains("zip"), "{error}");
}
