//! Apache Kafka for the integration tests and the load benchmark: a single-node KRaft broker
//! (combined `broker,controller` roles) from Maven Central's jars, started with `java` on free
//! loopback ports and stopped by its PID.
//!
//! - [`Broker::shared`] is one broker per test binary, started on first use: tests isolate
//!   themselves by topic names (a topic suffix of their own) and consumer groups.
//! - [`Broker::start`] is a broker of the caller's own, for a test that kills, restarts or
//!   reconfigures it.
//! - [`Broker::start_cluster`] is a cluster of combined nodes of the caller's own (three for
//!   the catalog's replication settings), each a [`Broker`] to kill and restart.
//!
//! Every broker listens for clients three ways at once: `PLAINTEXT`
//! ([`bootstrap`](Broker::bootstrap)), `SSL` with TLS 1.3 only ([`tls_bootstrap`](Broker::tls_bootstrap),
//! a certificate signed by a throw-away CA: [`ca_certificate`](Broker::ca_certificate)) and
//! `SASL_PLAINTEXT` with SCRAM-SHA-512 ([`scram_bootstrap`](Broker::scram_bootstrap), user
//! [`SCRAM_USER`] created when the storage is formatted).
//!
//! A broker dies with the process that started it, even when that process is killed: a
//! watchdog shell holds a pipe from it and kills the JVM (and removes its folder) when the pipe
//! closes. `.ci/run` also stops any JVM whose command line carries [`MARKER_PROPERTY`].

mod certificates;
mod jars;

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::ClientConfig;

pub use certificates::CA_CERTIFICATE;
pub use jars::{broker_jars, pom};

/// The SCRAM-SHA-512 user every broker knows.
pub const SCRAM_USER: &str = "kafka-events-scram";
/// Its password.
pub const SCRAM_PASSWORD: &str = "s3cret";
/// A system property on every test broker's command line, for finding leftovers.
pub const MARKER_PROPERTY: &str = "kafka.events.test.broker";

/// The JVM's settings: the flags of Kafka's own start scripts with a heap fit for a 2-core,
/// 24 GiB machine that also runs the clients.
const JVM_FLAGS: &[&str] = &[
    "-server",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
];

/// The cluster id every test broker is formatted with: the 16 bytes `kafka-events-tes` in
/// URL-safe base64, the form `kafka-storage random-uuid` prints. Each broker has storage of its
/// own, so the ids need not differ.
const CLUSTER_ID: &str = "a2Fma2EtZXZlbnRzLXRlcw";

/// What to do when `java` cannot be started.
const JAVA_NEEDED: &str = "the Kafka tests need Java 17 or later on PATH";

/// How long a broker may take to answer metadata after its JVM started.
const START_LIMIT: Duration = Duration::from_secs(120);

/// Why a broker could not be started.
#[derive(Debug, Clone)]
pub struct BrokerError(String);

impl BrokerError {
    /// An error that says `message`.
    pub fn new(message: impl Into<String>) -> Self {
        BrokerError(message.into())
    }
}

impl fmt::Display for BrokerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BrokerError {}

/// Runs `command` to its end; an error says `what` failed, with its output, or how to get the
/// program when it cannot be started (`missing`).
fn run(command: &mut Command, what: &str, missing: &str) -> Result<(), BrokerError> {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command.output().map_err(|error| {
        BrokerError::new(format!("cannot run `{program}` ({error}): {missing}"))
    })?;
    if !output.status.success() {
        return Err(BrokerError::new(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(())
}

impl From<io::Error> for BrokerError {
    fn from(error: io::Error) -> Self {
        BrokerError(error.to_string())
    }
}

/// The loopback ports a broker listens on.
#[derive(Debug, Clone, Copy)]
struct Ports {
    plaintext: u16,
    tls: u16,
    mtls: u16,
    scram: u16,
    controller: u16,
}

impl Ports {
    fn free() -> Result<Ports, BrokerError> {
        Ok(Ports {
            plaintext: free_port()?,
            tls: free_port()?,
            mtls: free_port()?,
            scram: free_port()?,
            controller: free_port()?,
        })
    }
}

/// The heap of a single broker, and of each node of a cluster (three share the machine).
const SINGLE_HEAP: [&str; 2] = ["-Xms512m", "-Xmx1g"];
const CLUSTER_NODE_HEAP: [&str; 2] = ["-Xms256m", "-Xmx512m"];

/// A running Apache Kafka broker, stopped (and its folder removed) when dropped.
#[derive(Debug)]
pub struct Broker {
    java: Option<Child>,
    watchdog: Option<Child>,
    folder: PathBuf,
    ports: Ports,
    /// `node.id`.
    node_id: u32,
    /// `controller.quorum.voters` of its cluster.
    voters: String,
    /// The replication factor of the internal topics: the cluster's size, at most 3.
    internal_replicas: usize,
    heap: [&'static str; 2],
}

/// Starts made on fresh ports when the broker found one of its ports taken: a port is chosen
/// free, released, then bound by the JVM, and in between another process (a client's outgoing
/// connection, from the same ephemeral range) may take it. The failed start's brokers are
/// dropped, i.e. stopped and their folders removed.
const PORT_ATTEMPTS: u32 = 3;

fn on_fresh_ports<T>(mut start: impl FnMut() -> Result<T, BrokerError>) -> Result<T, BrokerError> {
    let mut attempt = 1;
    loop {
        match start() {
            Err(error) if attempt < PORT_ATTEMPTS && error.0.contains("Address already in use") => {
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}

fn free_port() -> Result<u16, BrokerError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn unique_folder() -> Result<PathBuf, BrokerError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let number = COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
    let folder = jars::workspace_target()
        .join("kafka-brokers")
        .join(format!("{}-{number}", std::process::id()));
    if folder.exists() {
        fs::remove_dir_all(&folder)?;
    }
    fs::create_dir_all(&folder)?;
    Ok(folder)
}

impl Broker {
    /// The broker of this test binary, started on first use and stopped when the process
    /// exits. Tests that share it isolate themselves by topic and group names.
    ///
    /// # Panics
    /// When the broker cannot be started (a test helper: that is the failure to report).
    pub fn shared() -> &'static Broker {
        static SHARED: OnceLock<Result<Broker, BrokerError>> = OnceLock::new();
        match SHARED.get_or_init(Broker::start) {
            Ok(broker) => broker,
            Err(error) => panic!("the shared test broker did not start: {error}"),
        }
    }

    /// Formats a fresh storage folder and starts a broker of the caller's own on free ports;
    /// returns once it answers a metadata request.
    pub fn start() -> Result<Broker, BrokerError> {
        on_fresh_ports(|| {
            let ports = Ports::free()?;
            let voters = format!("1@127.0.0.1:{}", ports.controller);
            let mut broker = Broker::prepare(1, ports, voters, 1, SINGLE_HEAP)?;
            broker.launch()?;
            Ok(broker)
        })
    }

    /// A KRaft cluster of `size` combined broker+controller nodes (node ids 1 to `size`, every
    /// node a voter), internal topics replicated `min(size, 3)` times, brokers fenced 3 s after
    /// their last heartbeat; returns once every node answers metadata.
    pub fn start_cluster(size: u32) -> Result<Vec<Broker>, BrokerError> {
        on_fresh_ports(|| Broker::start_cluster_once(size))
    }

    fn start_cluster_once(size: u32) -> Result<Vec<Broker>, BrokerError> {
        let ports: Vec<Ports> = (0..size).map(|_| Ports::free()).collect::<Result<_, _>>()?;
        let voters = ports
            .iter()
            .zip(1..)
            .map(|(ports, id)| format!("{id}@127.0.0.1:{}", ports.controller))
            .collect::<Vec<_>>()
            .join(",");
        let replicas = (size as usize).min(3);
        let mut nodes: Vec<Broker> = ports
            .into_iter()
            .zip(1..)
            .map(|(ports, id)| {
                Broker::prepare(id, ports, voters.clone(), replicas, CLUSTER_NODE_HEAP)
            })
            .collect::<Result<_, _>>()?;
        // A quorum forms only when a majority runs: start every JVM, then wait for each.
        let started = Instant::now();
        for node in &mut nodes {
            node.spawn()?;
        }
        for node in &mut nodes {
            node.wait_until_ready(started)?;
        }
        Ok(nodes)
    }

    /// A formatted node, not started.
    fn prepare(
        node_id: u32,
        ports: Ports,
        voters: String,
        internal_replicas: usize,
        heap: [&'static str; 2],
    ) -> Result<Broker, BrokerError> {
        let broker = Broker {
            java: None,
            watchdog: None,
            folder: unique_folder()?,
            ports,
            node_id,
            voters,
            internal_replicas,
            heap,
        };
        certificates::make_broker_certificates(&broker.folder)?;
        fs::write(broker.properties_file(), broker.server_properties())?;
        broker.format_storage()?;
        Ok(broker)
    }

    /// `host:port` of the `PLAINTEXT` listener, for `bootstrap.servers`.
    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.ports.plaintext)
    }

    /// `host:port` of the `SSL` listener (TLS 1.3 only; trust [`ca_certificate`](Self::ca_certificate)).
    pub fn tls_bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.ports.tls)
    }

    /// `host:port` of the `MTLS` listener: TLS 1.3 with a client certificate required (signed
    /// by [`ca_certificate`](Self::ca_certificate)'s CA, see
    /// [`client_certificate`](Self::client_certificate)), whose common name is the client's
    /// principal (`User:<CN>`), and ACLs enforced.
    pub fn mtls_bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.ports.mtls)
    }

    /// A client certificate for the service `common_name`, signed by the broker's CA: the
    /// certificate and its key (PEM files in the broker's folder).
    pub fn client_certificate(&self, common_name: &str) -> Result<(PathBuf, PathBuf), BrokerError> {
        certificates::make_client_certificate(&self.folder, common_name, certificates::CA_NAME)
    }

    /// A client certificate for `common_name` signed by a CA of its own, which the broker
    /// does not trust.
    pub fn foreign_client_certificate(
        &self,
        common_name: &str,
    ) -> Result<(PathBuf, PathBuf), BrokerError> {
        certificates::make_foreign_client_certificate(&self.folder, common_name)
    }

    /// `host:port` of the `SASL_PLAINTEXT` listener (SCRAM-SHA-512, [`SCRAM_USER`]).
    pub fn scram_bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.ports.scram)
    }

    /// The PEM certificate of the CA that signed the broker's TLS certificate (`ssl.ca.location`).
    pub fn ca_certificate(&self) -> PathBuf {
        self.folder.join(CA_CERTIFICATE)
    }

    /// The JVM's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.java.as_ref().map(Child::id)
    }

    /// Bytes of the log segments (`*.log` files: the record batches as written, compressed or
    /// not) of the topics that `which` selects by name.
    pub fn segment_bytes(&self, which: impl Fn(&str) -> bool) -> u64 {
        let Ok(partitions) = fs::read_dir(self.data_folder()) else {
            return 0;
        };
        partitions
            .flatten()
            .filter(|partition| {
                let name = partition.file_name();
                let name = name.to_string_lossy();
                name.rsplit_once('-')
                    .is_some_and(|(topic, number)| number.parse::<u32>().is_ok() && which(topic))
            })
            .filter_map(|partition| fs::read_dir(partition.path()).ok())
            .flat_map(|files| files.flatten())
            .filter(|file| file.path().extension().is_some_and(|ext| ext == "log"))
            .filter_map(|file| file.metadata().ok())
            .map(|meta| meta.len())
            .sum()
    }

    /// The bytes of every log segment (`*.log`) of the topics that `which` selects by name,
    /// one after the other: what Kafka keeps on disk.
    pub fn segment_contents(&self, which: impl Fn(&str) -> bool) -> Vec<u8> {
        let Ok(partitions) = fs::read_dir(self.data_folder()) else {
            return Vec::new();
        };
        let mut contents = Vec::new();
        for partition in partitions.flatten() {
            let name = partition.file_name();
            let name = name.to_string_lossy();
            let selected = name
                .rsplit_once('-')
                .is_some_and(|(topic, number)| number.parse::<u32>().is_ok() && which(topic));
            let Ok(files) = fs::read_dir(partition.path()).map(|files| files.flatten()) else {
                continue;
            };
            for file in files.filter(|_| selected) {
                if file.path().extension().is_some_and(|ext| ext == "log") {
                    contents.extend(fs::read(file.path()).unwrap_or_default());
                }
            }
        }
        contents
    }

    /// The authorizer's log (`authorizer.log` in the broker's folder): one line per decision,
    /// allowed ones included, naming the principal, operation and resource.
    pub fn authorizer_log(&self) -> String {
        fs::read_to_string(self.folder.join("authorizer.log")).unwrap_or_default()
    }

    /// Kills the JVM with SIGKILL (`kill -9`: no clean shutdown) and waits for it to exit.
    pub fn kill(&mut self) {
        // The watchdog first, so it never signals a PID that was reused.
        for mut child in self.watchdog.take().into_iter().chain(self.java.take()) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the broker again on the same ports and log directory (after [`kill`](Self::kill)).
    pub fn restart(&mut self) -> Result<(), BrokerError> {
        self.kill();
        self.launch()
    }

    /// The last lines the broker logged, for failure messages.
    pub fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = fs::File::open(self.folder.join("broker.log")) {
            let _ = file.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    fn data_folder(&self) -> PathBuf {
        self.folder.join("data")
    }

    fn properties_file(&self) -> PathBuf {
        self.folder.join("server.properties")
    }

    fn server_properties(&self) -> String {
        let Ports {
            plaintext,
            tls,
            mtls,
            scram,
            controller,
        } = self.ports;
        let (node_id, voters, replicas) = (self.node_id, &self.voters, self.internal_replicas);
        let min_isr = replicas.min(2);
        let data = self.data_folder();
        let keystore = self.folder.join(certificates::BROKER_KEYSTORE);
        let ca = self.folder.join(CA_CERTIFICATE);
        format!(
            "# A KRaft node (broker and controller) for kafka-events' tests (tests/src/broker/mod.rs).
process.roles=broker,controller
node.id={node_id}
controller.quorum.voters={voters}
# A dead node is fenced, and its partitions move, 3 s after its last heartbeat.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:{plaintext},SSL://127.0.0.1:{tls},MTLS://127.0.0.1:{mtls},SASL_PLAINTEXT://127.0.0.1:{scram},CONTROLLER://127.0.0.1:{controller}
advertised.listeners=PLAINTEXT://127.0.0.1:{plaintext},SSL://127.0.0.1:{tls},MTLS://127.0.0.1:{mtls},SASL_PLAINTEXT://127.0.0.1:{scram}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,MTLS:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs={data}
# Internal topics on every node (at most 3), few partitions (created on first use).
offsets.topic.replication.factor={replicas}
offsets.topic.num.partitions=4
transaction.state.log.replication.factor={replicas}
transaction.state.log.min.isr={min_isr}
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor={replicas}
share.coordinator.state.topic.min.isr={min_isr}
group.initial.rebalance.delay.ms=0
# Topics exist because provisioning created them, never by accident.
auto.create.topics.enable=false
# TLS 1.3 only, with a PEM keystore.
ssl.keystore.type=PEM
ssl.keystore.location={keystore}
ssl.protocol=TLSv1.3
ssl.enabled.protocols=TLSv1.3
# The MTLS listener: a client certificate from the test CA is required, and its common name
# is the principal (CN=combat-service -> User:combat-service).
listener.name.mtls.ssl.client.auth=required
listener.name.mtls.ssl.truststore.type=PEM
listener.name.mtls.ssl.truststore.location={ca}
ssl.principal.mapping.rules=RULE:^CN=([^,]+)$/$1/,DEFAULT
# ACLs (KRaft's StandardAuthorizer), strict: what is not granted is denied. The listeners
# without client identities (PLAINTEXT: the tests' own admin and clients, the controller; SSL
# without a client certificate) are User:ANONYMOUS, and the SCRAM test user is
# User:{scram_user}: both super users, so only MTLS clients meet the ACLs.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:ANONYMOUS;User:{scram_user}
allow.everyone.if.no.acl.found=false
# SCRAM-SHA-512 on the SASL listener; the user is added when the storage is formatted.
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
",
            data = data.display(),
            keystore = keystore.display(),
            ca = ca.display(),
            scram_user = SCRAM_USER,
        )
    }

    fn java(&self) -> Result<Command, BrokerError> {
        let jars = broker_jars()?;
        let mut java = Command::new("java");
        java.args(self.heap)
            .args(JVM_FLAGS)
            .arg(format!(
                "-Dlog4j2.configurationFile={}",
                jars::kafka_folder().join("log4j2.yaml").display()
            ))
            .arg(format!("-D{MARKER_PROPERTY}={}", self.folder.display()))
            .arg("-cp")
            .arg(jars.join("*"))
            .current_dir(&self.folder)
            .stdin(Stdio::null());
        Ok(java)
    }

    /// `kafka.tools.StorageTool format`: a new cluster id, the SCRAM user.
    fn format_storage(&self) -> Result<(), BrokerError> {
        run(
            self.java()?
                .args(["kafka.tools.StorageTool", "format", "--cluster-id"])
                .arg(CLUSTER_ID)
                .arg("--config")
                .arg(self.properties_file())
                .arg("--add-scram")
                .arg(format!(
                    "SCRAM-SHA-512=[name={SCRAM_USER},password={SCRAM_PASSWORD}]"
                )),
            "formatting the broker's storage",
            JAVA_NEEDED,
        )
    }

    fn launch(&mut self) -> Result<(), BrokerError> {
        let started = Instant::now();
        self.spawn()?;
        self.wait_until_ready(started)
    }

    /// Starts the JVM (and its watchdog) without waiting for it.
    fn spawn(&mut self) -> Result<(), BrokerError> {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.folder.join("broker.log"))?;
        let java = self
            .java()?
            .arg("kafka.Kafka")
            .arg(self.properties_file())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|error| {
                BrokerError::new(format!("cannot start `java` ({error}): {JAVA_NEEDED}"))
            })?;
        // Reads its standard input until the pipe closes: when this process exits, however it
        // exits, the JVM is killed and the folder removed.
        let watchdog = Command::new("sh")
            .arg("-c")
            .arg(r#"while read -r _; do :; done; kill -9 "$1" 2>/dev/null; sleep 1; rm -rf "$2""#)
            .arg("kafka-broker-watchdog")
            .arg(java.id().to_string())
            .arg(&self.folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        self.java = Some(java);
        self.watchdog = Some(watchdog);
        Ok(())
    }

    /// Waits until the `PLAINTEXT` listener accepts connections and answers a metadata request
    /// naming this broker.
    fn wait_until_ready(&mut self, started: Instant) -> Result<(), BrokerError> {
        let mut client: Option<BaseConsumer> = None;
        loop {
            if let Some(java) = self.java.as_mut() {
                if let Ok(Some(status)) = java.try_wait() {
                    return Err(BrokerError::new(format!(
                        "the broker exited ({status}) before it was ready; its log:\n{}",
                        self.log_tail()
                    )));
                }
            }
            if started.elapsed() > START_LIMIT {
                return Err(BrokerError::new(format!(
                    "the broker did not answer metadata within {START_LIMIT:?}; its log:\n{}",
                    self.log_tail()
                )));
            }
            if TcpStream::connect(("127.0.0.1", self.ports.plaintext)).is_ok() {
                if client.is_none() {
                    client = Some(
                        ClientConfig::new()
                            .set("bootstrap.servers", self.bootstrap())
                            .set("log_level", "3")
                            .create()
                            .map_err(|error| BrokerError::new(error.to_string()))?,
                    );
                }
                if let Some(client) = &client {
                    if let Ok(metadata) = client.fetch_metadata(None, Duration::from_secs(2)) {
                        if !metadata.brokers().is_empty() {
                            eprintln!(
                                "Apache Kafka node {} (pid {}) ready in {:.1} s at {} (folder {})",
                                self.node_id,
                                self.pid().unwrap_or_default(),
                                started.elapsed().as_secs_f64(),
                                self.bootstrap(),
                                self.folder.display()
                            );
                            return Ok(());
                        }
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.kill();
        let _ = fs::remove_dir_all(&self.folder);
    }
}

#[cfg(test)]
mod port_tests {
    use super::*;

    #[test]
    fn a_taken_port_is_retried_on_fresh_ports_and_other_errors_are_not() {
        let taken = || BrokerError::new("bind to 127.0.0.1:40919: Address already in use");
        let mut calls = 0;
        let outcome = on_fresh_ports(|| {
            calls += 1;
            if calls < PORT_ATTEMPTS {
                Err(taken())
            } else {
                Ok(calls)
            }
        });
        assert_eq!(outcome.ok(), Some(PORT_ATTEMPTS));

        let mut calls = 0;
        let outcome: Result<(), _> = on_fresh_ports(|| {
            calls += 1;
            Err(taken())
        });
        assert!(outcome.is_err());
        assert_eq!(calls, PORT_ATTEMPTS);

        let mut calls = 0;
        let outcome: Result<(), _> = on_fresh_ports(|| {
            calls += 1;
            Err(BrokerError::new("no java"))
        });
        assert!(outcome.is_err());
        assert_eq!(calls, 1);
    }
}
