//! The Kafka client configuration from a properties file and from environment variables, on
//! any text: a typed error or a configuration, never a panic, and no error quotes a secret.
#![no_main]

use event_kafka::KafkaConfig;
use libfuzzer_sys::fuzz_target;

/// A value no input contains by chance: the error messages must never show it.
const SECRET: &str = "Zq9-secret-7Lw";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if text.contains(SECRET) {
        return;
    }
    // The secret goes in at a line boundary chosen by the input, as a password would.
    let lines: Vec<&str> = text.split('\n').collect();
    let at = data
        .first()
        .map_or(0, |b| usize::from(*b) % (lines.len() + 1));
    let mut with_secret = lines.clone();
    let secret_line = format!("sasl.password={SECRET}");
    with_secret.insert(at, &secret_line);
    let properties = with_secret.join("\n");
    if let Err(error) = KafkaConfig::from_properties(&properties) {
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains(SECRET),
            "the error shows the secret: {shown}"
        );
    }

    let vars = with_secret.iter().map(|line| {
        let (name, value) = line.split_once('=').unwrap_or((line, ""));
        let name = if name == "sasl.password" {
            "KAFKA_SASL_PASSWORD"
        } else {
            name
        };
        (name.to_owned(), value.to_owned())
    });
    if let Err(error) = KafkaConfig::from_vars(vars) {
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains(SECRET),
            "the error shows the secret: {shown}"
        );
    }
});
