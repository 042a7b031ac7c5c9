//! Connection settings, in Kafka's own property names, so the same code runs against a laptop
//! broker and a production cluster with TLS and SASL.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use rdkafka::config::{FromClientConfig, FromClientConfigAndContext};
use rdkafka::error::KafkaError;
use rdkafka::{ClientConfig, ClientContext};

use crate::secrets::{is_client_property, is_secret_property, redact_error, REDACTED};
use crate::ClientError;

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
    /// A PEM document for mutual TLS holds no block of the kind it must hold.
    #[error("the {role} ({source_name}) holds no PEM `{expected}` block")]
    Pem {
        /// `CA certificate`, `client certificate` or `client key`.
        role: &'static str,
        /// The file, or `PEM text`.
        source_name: String,
        /// The PEM label looked for, e.g. `CERTIFICATE`.
        expected: &'static str,
    },
}

/// A PEM document: a file, or its text (from a secret store).
#[derive(Clone, PartialEq, Eq)]
pub enum Pem {
    /// A PEM file, read by librdkafka when the client starts.
    File(std::path::PathBuf),
    /// PEM text.
    Text(String),
}

impl fmt::Debug for Pem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pem::File(path) => f.debug_tuple("File").field(path).finish(),
            Pem::Text(_) => f.debug_tuple("Text").field(&REDACTED).finish(),
        }
    }
}

impl Pem {
    /// The document's text (reading the file), and how errors name it.
    fn read(&self) -> Result<(String, String), ConfigError> {
        match self {
            Pem::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                Ok((text, format!("`{}`", path.display())))
            }
            Pem::Text(text) => Ok((text.clone(), "PEM text".to_owned())),
        }
    }

    /// Checks that the document holds a `-----BEGIN <label>-----` block whose label ends with
    /// `expected` (so `PRIVATE KEY` accepts `EC PRIVATE KEY` and `ENCRYPTED PRIVATE KEY`).
    fn check(&self, role: &'static str, expected: &'static str) -> Result<(), ConfigError> {
        let (text, source_name) = self.read()?;
        let found = text.lines().any(|line| {
            line.trim()
                .strip_prefix("-----BEGIN ")
                .and_then(|rest| rest.strip_suffix("-----"))
                .is_some_and(|label| label.ends_with(expected))
        });
        if found {
            Ok(())
        } else {
            Err(ConfigError::Pem {
                role,
                source_name,
                expected,
            })
        }
    }
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
    /// The caller accepted producers whose acknowledgements do not mean the event is safe.
    weaker_delivery_accepted: bool,
}

const BOOTSTRAP: &str = "bootstrap.servers";

impl KafkaConfig {
    /// Settings for the cluster at `bootstrap_servers` (`host:port`, comma-separated).
    pub fn new(bootstrap_servers: impl Into<String>) -> Self {
        KafkaConfig {
            properties: BTreeMap::from([(BOOTSTRAP.to_owned(), bootstrap_servers.into())]),
            weaker_delivery_accepted: false,
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
    /// `KAFKA_BOOTSTRAP_SERVERS` (required) and every other `KAFKA_*` variable that names a
    /// client property once lower-cased with `_` read as `.` (`KAFKA_SECURITY_PROTOCOL` →
    /// `security.protocol`, `KAFKA_SASL_USERNAME` → `sasl.username`). Variables that name no
    /// property librdkafka knows are left alone: container orchestrators define
    /// `KAFKA_PORT` or `KAFKA_SERVICE_HOST` for a service called `kafka`, and the JVM tools
    /// read `KAFKA_HEAP_OPTS`; none of them is client configuration (a misspelt property is
    /// ignored the same way, so check the names you set).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars())
    }

    /// Settings from these variables, read as [`from_env`](Self::from_env) reads the
    /// environment (for a process that keeps its variables elsewhere, and for tests).
    ///
    /// ```
    /// use event_kafka::KafkaConfig;
    /// let vars = [
    ///     ("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"),
    ///     ("KAFKA_SECURITY_PROTOCOL", "SSL"),
    ///     ("KAFKA_PORT", "tcp://10.0.0.7:9092"), // a Kubernetes service variable
    /// ];
    /// let config = KafkaConfig::from_vars(vars.map(|(k, v)| (k.to_owned(), v.to_owned()))).unwrap();
    /// assert_eq!(config.get("security.protocol"), Some("SSL"));
    /// assert_eq!(config.get("port"), None);
    /// ```
    pub fn from_vars(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut properties = BTreeMap::new();
        for (name, value) in vars {
            if let Some(rest) = name.strip_prefix("KAFKA_").filter(|rest| !rest.is_empty()) {
                let property = rest.to_ascii_lowercase().replace('_', ".");
                if is_client_property(&property) {
                    properties.insert(property, value);
                }
            }
        }
        if !properties.contains_key(BOOTSTRAP) {
            return Err(ConfigError::MissingBootstrap);
        }
        Ok(KafkaConfig {
            properties,
            weaker_delivery_accepted: false,
        })
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
        Ok(KafkaConfig {
            properties,
            weaker_delivery_accepted: false,
        })
    }

    /// Mutual TLS: the client trusts the brokers whose certificates `ca` signed and proves its
    /// own identity with `certificate` and `key` (the broker maps the certificate's subject,
    /// e.g. its common name, to the principal its ACLs name). Sets `security.protocol` to
    /// `SSL` (or keeps `SASL_SSL`) and librdkafka's `ssl.ca.*`, `ssl.certificate.*` and
    /// `ssl.key.*` properties (`*.location` for files, `*.pem` for text).
    ///
    /// Each document is read now and must hold a PEM block of its kind (a typed
    /// [`ConfigError`] otherwise); a key that does not belong to the certificate is refused by
    /// librdkafka when a client is created ([`ClientError::Tls`]). The key may be encrypted:
    /// set `ssl.key.password` too. TLS 1.3 is what the broker should enforce
    /// (`ssl.enabled.protocols=TLSv1.3`): librdkafka offers it, but has no setting that
    /// refuses older versions on the client's side.
    ///
    /// ```
    /// use event_kafka::{KafkaConfig, Pem};
    /// let ca = Pem::Text("-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n".into());
    /// let key = Pem::Text("-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----\n".into());
    /// let config = KafkaConfig::new("kafka:9093")
    ///     .with_mutual_tls(ca.clone(), ca, key)?;
    /// assert_eq!(config.get("security.protocol"), Some("SSL"));
    /// assert!(!format!("{config:?}").contains("PRIVATE KEY"));
    /// # Ok::<(), event_kafka::ConfigError>(())
    /// ```
    pub fn with_mutual_tls(self, ca: Pem, certificate: Pem, key: Pem) -> Result<Self, ConfigError> {
        ca.check("CA certificate", "CERTIFICATE")?;
        certificate.check("client certificate", "CERTIFICATE")?;
        key.check("client key", "PRIVATE KEY")?;
        let protocol = match self.get("security.protocol") {
            Some(protocol) if protocol.eq_ignore_ascii_case("SASL_SSL") => "SASL_SSL",
            _ => "SSL",
        };
        let mut config = self.set("security.protocol", protocol);
        for (pem, prefix) in [
            (ca, "ssl.ca"),
            (certificate, "ssl.certificate"),
            (key, "ssl.key"),
        ] {
            config.properties.remove(&format!("{prefix}.location"));
            config.properties.remove(&format!("{prefix}.pem"));
            config = match pem {
                Pem::File(path) => {
                    config.set(format!("{prefix}.location"), path.display().to_string())
                }
                Pem::Text(text) => config.set(format!("{prefix}.pem"), text),
            };
        }
        Ok(config)
    }

    /// Lets producers made from these settings run with delivery guarantees weakened by
    /// `acks` other than `all` or `enable.idempotence=false`, which they refuse otherwise
    /// ([`ClientError::WeakDelivery`]): with them, a send the broker acknowledged can still be
    /// lost (the leader fails before a follower copied it) or written twice.
    ///
    /// ```
    /// use event_kafka::{ClientError, EventProducer, KafkaConfig};
    /// let fast = KafkaConfig::new("127.0.0.1:9092")
    ///     .set("acks", "1")
    ///     .set("enable.idempotence", "false"); // librdkafka's idempotence needs acks=all
    /// assert!(matches!(EventProducer::new(&fast), Err(ClientError::WeakDelivery { .. })));
    /// assert!(EventProducer::new(&fast.accept_weaker_delivery()).is_ok());
    /// ```
    pub fn accept_weaker_delivery(mut self) -> Self {
        self.weaker_delivery_accepted = true;
        self
    }

    /// Refuses settings that weaken what a producer's acknowledgement means, unless
    /// [`accept_weaker_delivery`](Self::accept_weaker_delivery) was called.
    pub(crate) fn check_delivery_guarantees(&self) -> Result<(), ClientError> {
        if self.weaker_delivery_accepted {
            return Ok(());
        }
        for property in ["acks", "request.required.acks"] {
            if let Some(value) = self.get(property) {
                if !matches!(value.trim().to_ascii_lowercase().as_str(), "all" | "-1") {
                    return Err(ClientError::WeakDelivery {
                        property,
                        value: value.to_owned(),
                    });
                }
            }
        }
        if let Some(value) = self.get("enable.idempotence") {
            if matches!(
                value.trim().to_ascii_lowercase().as_str(),
                "false" | "f" | "0"
            ) {
                return Err(ClientError::WeakDelivery {
                    property: "enable.idempotence",
                    value: value.to_owned(),
                });
            }
        }
        Ok(())
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

/// The client `client` describes, or librdkafka's refusal without any secret value in it.
pub(crate) fn create_client<T: FromClientConfig>(
    client: &ClientConfig,
    role: &'static str,
) -> Result<T, ClientError> {
    client
        .create()
        .map_err(|source| creation_error(source, client, role))
}

/// [`create_client`] with a context of ours (the statistics the gauges are read from).
pub(crate) fn create_client_with_context<C, T>(
    client: &ClientConfig,
    context: C,
    role: &'static str,
) -> Result<T, ClientError>
where
    C: ClientContext,
    T: FromClientConfigAndContext<C>,
{
    client
        .create_with_context(context)
        .map_err(|source| creation_error(source, client, role))
}

/// librdkafka's refusal to create a client, typed and without any secret value in it.
fn creation_error(source: KafkaError, client: &ClientConfig, role: &'static str) -> ClientError {
    let source = redact_error(source, client);
    match &source {
        KafkaError::ClientCreation(message) if is_tls_setup_error(message) => ClientError::Tls {
            role,
            message: message.clone(),
        },
        _ => ClientError::Create { role, source },
    }
}

/// Whether librdkafka's refusal to create a client is about its TLS material (a file it cannot
/// read, a certificate or key it cannot parse, a key that is not the certificate's).
fn is_tls_setup_error(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.starts_with("ssl.")
        || ["certificate", "private key", "ssl_ctx"]
            .iter()
            .any(|marker| message.contains(marker))
}

impl fmt::Debug for KafkaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in &self.properties {
            if is_secret_property(key) || !is_client_property(key) {
                map.entry(key, &REDACTED);
            } else {
                map.entry(key, value);
            }
        }
        if self.weaker_delivery_accepted {
            map.entry(&"(weaker delivery)", &"accepted");
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
    fn debug_redacts_secrets_and_names_it_does_not_know() {
        let config = KafkaConfig::new("a:1")
            .set("sasl.password", "p4ss")
            .set("ssl.key.password", "k3y")
            .set("sasl.pasword", "typo")
            .set("client.id", "svc");
        let debug = format!("{config:?}");
        for secret in ["p4ss", "k3y", "typo"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("svc"));
    }

    #[test]
    fn unrelated_kafka_variables_are_left_alone() {
        let config = KafkaConfig::from_vars(vars(&[
            ("KAFKA_BOOTSTRAP_SERVERS", "kafka:9093"),
            ("KAFKA_PORT", "tcp://10.0.0.7:9092"),
            ("KAFKA_SERVICE_HOST", "10.0.0.7"),
            ("KAFKA_HEAP_OPTS", "-Xmx1g"),
            ("KAFKA_CLIENT_ID", "combat-service"),
        ]))
        .unwrap();
        assert_eq!(
            config.properties.keys().collect::<Vec<_>>(),
            ["bootstrap.servers", "client.id"]
        );
    }

    const CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const KEY: &str = "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n";

    #[test]
    fn mutual_tls_from_files_or_text() {
        let folder = tempfile::tempdir().unwrap();
        let ca = folder.path().join("ca.pem");
        std::fs::write(&ca, CERTIFICATE).unwrap();
        let config = KafkaConfig::new("a:1")
            .set("ssl.ca.pem", "stale")
            .with_mutual_tls(
                Pem::File(ca.clone()),
                Pem::Text(CERTIFICATE.into()),
                Pem::Text(KEY.into()),
            )
            .unwrap();
        assert_eq!(config.get("security.protocol"), Some("SSL"));
        assert_eq!(config.get("ssl.ca.location"), Some(ca.to_str().unwrap()));
        assert_eq!(config.get("ssl.ca.pem"), None, "one source per document");
        assert_eq!(config.get("ssl.certificate.pem"), Some(CERTIFICATE));
        assert_eq!(config.get("ssl.key.pem"), Some(KEY));
        assert!(!format!("{config:?}").contains("MHc"));

        let sasl = KafkaConfig::new("a:1")
            .set("security.protocol", "SASL_SSL")
            .with_mutual_tls(
                Pem::Text(CERTIFICATE.into()),
                Pem::Text(CERTIFICATE.into()),
                Pem::Text(KEY.into()),
            )
            .unwrap();
        assert_eq!(sasl.get("security.protocol"), Some("SASL_SSL"));

        let missing = KafkaConfig::new("a:1").with_mutual_tls(
            Pem::File(folder.path().join("nowhere.pem")),
            Pem::Text(CERTIFICATE.into()),
            Pem::Text(KEY.into()),
        );
        assert!(
            matches!(missing, Err(ConfigError::Read { .. })),
            "{missing:?}"
        );
        let swapped = KafkaConfig::new("a:1").with_mutual_tls(
            Pem::Text(CERTIFICATE.into()),
            Pem::Text(KEY.into()),
            Pem::Text(CERTIFICATE.into()),
        );
        let error = swapped.unwrap_err();
        assert!(
            matches!(
                error,
                ConfigError::Pem {
                    role: "client certificate",
                    expected: "CERTIFICATE",
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(!error.to_string().contains("MHc"), "{error}");
    }

    #[test]
    fn weakened_delivery_is_refused_unless_accepted() {
        for (key, value) in [
            ("acks", "1"),
            ("acks", "0"),
            ("request.required.acks", "1"),
            ("enable.idempotence", "false"),
        ] {
            let config = KafkaConfig::new("a:1").set(key, value);
            let error = config.check_delivery_guarantees().unwrap_err();
            assert!(
                matches!(&error, ClientError::WeakDelivery { property, .. } if *property == key),
                "{error}"
            );
            assert!(
                error.to_string().contains("accept_weaker_delivery"),
                "{error}"
            );
            config
                .accept_weaker_delivery()
                .check_delivery_guarantees()
                .unwrap();
        }
        for (key, value) in [
            ("acks", "all"),
            ("acks", "-1"),
            ("enable.idempotence", "true"),
        ] {
            KafkaConfig::new("a:1")
                .set(key, value)
                .check_delivery_guarantees()
                .unwrap();
        }
    }
}
