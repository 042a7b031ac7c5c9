//! Which client properties hold secrets, and librdkafka's errors with their values taken out.
//!
//! librdkafka quotes a property's value when it refuses it (`Client config error: No such
//! configuration property: "sasl.pasword" hunter2`), and a misspelt key is not recognisably a
//! secret, so the errors of this crate show a value only when its key is a known client
//! property that holds no secret.

use rdkafka::bindings::rd_kafka_conf_res_t as RDKafkaConfRes;
use rdkafka::config::ClientConfig;
use rdkafka::error::KafkaError;

/// The properties librdkafka (2.12) flags as sensitive, each a secret to
/// [`is_secret_property`] (which also knows other spellings and other clients' names).
pub const LIBRDKAFKA_SENSITIVE_PROPERTIES: &[&str] = &[
    "ssl.key.location",
    "ssl.key.password",
    "ssl.key.pem",
    "ssl_key",
    "ssl.ca.pem",
    "ssl.keystore.password",
    "sasl.username",
    "sasl.password",
    "sasl.oauthbearer.config",
    "sasl.oauthbearer.client.secret",
    "sasl.oauthbearer.assertion.private.key.file",
    "sasl.oauthbearer.assertion.private.key.passphrase",
    "sasl.oauthbearer.assertion.private.key.pem",
];

/// What a secret value shows as.
pub(crate) const REDACTED: &str = "<redacted>";

/// Parts of a property name that mark its value as secret: librdkafka's own sensitive
/// properties (`ssl.key.*`, `ssl_key`, `ssl.ca.pem`, `ssl.keystore.password`, `sasl.username`,
/// `sasl.password`, `sasl.oauthbearer.config`, `sasl.oauthbearer.client.secret`,
/// `sasl.oauthbearer.assertion.private.key.*`) and the words secrets go by in the Java
/// client's and other tools' names (`sasl.jaas.config`, `*.token`, `*.passphrase` …).
const SECRET_MARKERS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "jaas",
    "private",
    "ssl.key",
    "ssl_key",
    "keystore",
    "ssl.ca.pem",
    "sasl.username",
    "sasl.oauthbearer.config",
];

/// Whether `key` (in any letter case) names a property whose value is secret.
///
/// ```
/// assert!(event_kafka::is_secret_property("sasl.password"));
/// assert!(event_kafka::is_secret_property("SSL.KEY.PEM"));
/// assert!(!event_kafka::is_secret_property("security.protocol"));
/// ```
pub fn is_secret_property(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_MARKERS.iter().any(|marker| key.contains(marker))
}

/// Whether librdkafka knows `key` as a client property (global or topic-level).
pub(crate) fn is_client_property(key: &str) -> bool {
    !matches!(
        ClientConfig::new().set(key, "").create_native_config(),
        Err(KafkaError::ClientConfig(
            RDKafkaConfRes::RD_KAFKA_CONF_UNKNOWN,
            ..
        ))
    )
}

/// Whether the value of `key` may be shown: a known property that holds no secret.
fn is_showable(key: &str) -> bool {
    !is_secret_property(key) && is_client_property(key)
}

/// `error` without the value of any property of `client` that may not be shown, wherever
/// librdkafka quoted it.
pub(crate) fn redact_error(error: KafkaError, client: &ClientConfig) -> KafkaError {
    match error {
        KafkaError::ClientConfig(code, description, key, value) => {
            let value = if is_showable(&key) {
                value
            } else {
                REDACTED.to_owned()
            };
            KafkaError::ClientConfig(code, redact_text(description, client), key, value)
        }
        KafkaError::ClientCreation(message) => {
            KafkaError::ClientCreation(redact_text(message, client))
        }
        other => other,
    }
}

/// `text` with every hidden value of `client` replaced by [`REDACTED`].
fn redact_text(mut text: String, client: &ClientConfig) -> String {
    for (key, value) in client.config_map() {
        if !value.is_empty() && text.contains(value) && !is_showable(key) {
            text = text.replace(value, REDACTED);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn librdkafka_sensitive_properties_are_secret() {
        let others = ["sasl.jaas.config", "SASL.PASSWORD", "Ssl.Key.Pem"];
        for key in LIBRDKAFKA_SENSITIVE_PROPERTIES.iter().chain(&others) {
            assert!(is_secret_property(key), "{key}");
        }
        for key in [
            "bootstrap.servers",
            "security.protocol",
            "acks",
            "client.id",
        ] {
            assert!(!is_secret_property(key), "{key}");
        }
    }

    #[test]
    fn client_properties_are_told_from_other_names() {
        for key in [
            "bootstrap.servers",
            "acks",
            "request.required.acks",
            "group.id",
        ] {
            assert!(is_client_property(key), "{key}");
        }
        for key in ["port", "service.host", "sasl.pasword", "heap.opts"] {
            assert!(!is_client_property(key), "{key}");
        }
    }
}
