//! Connection settings, in Kafka's own property names, so the same code runs against a laptop
//! broker and a production cluster with TLS and SASL.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use rdkafka::ClientConfig;

/// Why connection settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `KAFKA_BOOTSTRAP_SERVERS` is not set.
    #[error("KAFKA_BOOTSTRAP_SERVERS is not set (e.g. KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092)")]
    MissingBootstrap,
    /// The properties file cannot be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The properties text is not a valid Java properties file (a bad `\u` escape, text that
    /// is not UTF-8 …).
    #[error("{}not a valid properties file: {source}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Syntax {
        /// One-based line number, when known.
        line: Option<usize>,
        /// The parser's error.
        source: java_properties::PropertiesError,
    },
    /// The properties file has no `bootstrap.servers`.
    #[error("no `bootstrap.servers` in the properties")]
    NoBootstrapProperty,
}

/// Where and how to connect: `bootstrap.servers` plus any Kafka client property
/// (`security.protocol`, `sasl.mechanism`, `sasl.username`, `ssl.ca.location` …), passed
/// through to librdkafka unchanged. Producer, consumer and provisioner add their own defaults
/// first; a property set here always wins.
///
/// TLS (`SSL`, `SASL_SSL`) and SCRAM need the crate's `ssl` feature (OpenSSL), GSSAPI its
/// `gssapi` feature; `PLAINTEXT` and `SASL_PLAINTEXT` with `PLAIN` work in the default build.
///
/// ```
/// use event_kafka::KafkaConfig;
/// let config = KafkaConfig::new("broker-1:9092,broker-2:9092")
///     .set("security.protocol", "SASL_PLAINTEXT")
///     .set("sasl.mechanism", "PLAIN")
///     .set("sasl.username", "combat-service")
///     .set("sasl.password", "hunter2");
/// assert_eq!(config.bootstrap_servers(), "broker-1:9092,broker-2:9092");
/// assert_eq!(config.get("sasl.mechanism"), Some("PLAIN"));
/// assert!(!format!("{config:?}").contains("hunter2"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct KafkaConfig {
    properties: BTreeMap<String, String>,
}

const BOOTSTRAP: &str = "bootstrap.servers";

impl KafkaConfig {
    /// Settings for the cluster at `bootstrap_servers` (`host:port`, comma-separated).
    pub fn new(bootstrap_servers: impl Into<String>) -> Self {
        KafkaConfig {
            properties: BTreeMap::from([(BOOTSTRAP.to_owned(), bootstrap_servers.into())]),
        }
    }

    /// Sets any Kafka client property.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.properties.insert(key.into(), value.into());
        self
    }

    /// The value of a property.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(String::as_str)
    }

    /// `bootstrap.servers`.
    pub fn bootstrap_servers(&self) -> &str {
        self.get(BOOTSTRAP).unwrap_or_default()
    }

    /// Settings from the environment, as Kafka's container images name them:
    /// `KAFKA_BOOTSTRAP_SERVERS` (required) and every other `KAFKA_*` variable as a property,
    /// lower-cased with `_` read as `.` (`KAFKA_SECURITY_PROTOCOL` → `security.protocol`,
    /// `KAFKA_SASL_USERNAME` → `sasl.username`).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars())
    }

    /// Settings from these variables, read as [`from_env`](Self::from_env) reads the
    /// environment (for a process that keeps its variables elsewhere, and for tests).
    ///
    /// ```
    /// use event_kafka::KafkaConfig;
    /// let vars = [("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"), ("KAFKA_SECURITY_PROTOCOL", "SSL")];
    /// let config = KafkaConfig::from_vars(vars.map(|(k, v)| (k.to_owned(), v.to_owned()))).unwrap();
    /// assert_eq!(config.get("security.protocol"), Some("SSL"));
    /// ```
    pub fn from_vars(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut properties = BTreeMap::new();
        for (name, value) in vars {
            if let Some(rest) = name.strip_prefix("KAFKA_").filter(|rest| !rest.is_empty()) {
                properties.insert(rest.to_ascii_lowercase().replace('_', "."), value);
            }
        }
        if !properties.contains_key(BOOTSTRAP) {
            return Err(ConfigError::MissingBootstrap);
        }
        Ok(KafkaConfig { properties })
    }

    /// Settings from a Java properties file (`client.properties`, as Kafka's tools take with
    /// `--command-config`), read as Java reads it (the `java-properties` crate): `key=value`,
    /// `key: value` or `key value`, `#` and `!` comments, `\` escapes and line continuations.
    pub fn from_properties_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_properties(&text)
    }

    /// Settings from the text of a properties file; see
    /// [`from_properties_file`](Self::from_properties_file).
    ///
    /// ```
    /// use event_kafka::KafkaConfig;
    /// let config = KafkaConfig::from_properties("# cluster\nbootstrap.servers=kafka:9092\nacks = all\n").unwrap();
    /// assert_eq!(config.bootstrap_servers(), "kafka:9092");
    /// assert_eq!(config.get("acks"), Some("all"));
    /// ```
    pub fn from_properties(text: &str) -> Result<Self, ConfigError> {
        let properties: BTreeMap<String, String> = java_properties::read(text.as_bytes())
            .map_err(|source| ConfigError::Syntax {
                line: source.line_number(),
                source,
            })?
            .into_iter()
            .collect();
        if !properties.contains_key(BOOTSTRAP) {
            return Err(ConfigError::NoBootstrapProperty);
        }
        Ok(KafkaConfig { properties })
    }

    /// These settings as an `rdkafka` client configuration, for a client of your own (an
    /// admin tool, a raw consumer) that connects like the crate's clients.
    pub fn rdkafka_config(&self) -> ClientConfig {
        self.client_config(&[])
    }

    /// librdkafka's configuration: `defaults` first (a later default replaces an earlier one),
    /// then every property of `self`.
    pub(crate) fn client_config<'a>(
        &self,
        defaults: impl IntoIterator<Item = &'a (&'a str, &'a str)>,
    ) -> ClientConfig {
        let mut config = ClientConfig::new();
        for (key, value) in defaults {
            config.set(*key, *value);
        }
        for (key, value) in &self.properties {
            config.set(key, value);
        }
        config
    }
}

/// Whether a property holds a secret that `Debug` must not print.
fn is_secret(key: &str) -> bool {
    ["password", "secret", "token", "key.pem", "sasl.jaas.config"]
        .iter()
        .any(|marker| key.contains(marker))
}

impl fmt::Debug for KafkaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in &self.properties {
            if is_secret(key) {
                map.entry(key, &"<redacted>");
            } else {
                map.entry(key, value);
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn environment_variables_become_properties() {
        let config = KafkaConfig::from_vars(vars(&[
            ("KAFKA_BOOTSTRAP_SERVERS", "kafka:9093"),
            ("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
            ("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
            ("PATH", "/usr/bin"),
        ]))
        .unwrap();
        assert_eq!(config.bootstrap_servers(), "kafka:9093");
        assert_eq!(config.get("security.protocol"), Some("SASL_SSL"));
        assert_eq!(config.get("sasl.mechanism"), Some("SCRAM-SHA-512"));
        assert_eq!(config.get("path"), None);
    }

    #[test]
    fn environment_without_bootstrap_is_an_error() {
        let error = KafkaConfig::from_vars(vars(&[("KAFKA_ACKS", "all")])).unwrap_err();
        assert!(matches!(error, ConfigError::MissingBootstrap));
    }

    #[test]
    fn properties_are_read_as_java_reads_them_and_errors_name_the_line() {
        let config = KafkaConfig::from_properties(
            "bootstrap.servers=a:1\nsasl.jaas.config = one \\\n    two\nacks: all\nclient.id svc\n",
        )
        .unwrap();
        assert_eq!(config.get("sasl.jaas.config"), Some("one two"));
        assert_eq!(config.get("acks"), Some("all"));
        assert_eq!(config.get("client.id"), Some("svc"));
        let error =
            KafkaConfig::from_properties("bootstrap.servers=a:1\n\nbad=\\u12zz\n").unwrap_err();
        assert!(
            matches!(error, ConfigError::Syntax { line: Some(3), .. }),
            "{error:?}"
        );
        assert!(error.to_string().starts_with("line 3: "), "{error}");
        assert!(matches!(
            KafkaConfig::from_properties("acks=all"),
            Err(ConfigError::NoBootstrapProperty)
        ));
    }

    #[test]
    fn user_properties_override_defaults() {
        let config = KafkaConfig::new("a:1").set("linger.ms", "50");
        let client = config.client_config(&[("linger.ms", "5"), ("acks", "all")]);
        assert_eq!(client.get("linger.ms"), Some("50"));
        assert_eq!(client.get("acks"), Some("all"));
        assert_eq!(client.get("bootstrap.servers"), Some("a:1"));
    }

    #[test]
    fn debug_redacts_secrets() {
        let config = KafkaConfig::new("a:1")
            .set("sasl.password", "p4ss")
            .set("ssl.key.password", "k3y")
            .set("sasl.username", "svc");
        let debug = format!("{config:?}");
        assert!(!debug.contains("p4ss") && !debug.contains("k3y"), "{debug}");
        assert!(debug.contains("svc"));
    }
}
