//! A real Kafka-protocol broker for integration tests and the load benchmark: tansu, an
//! Apache-licensed broker from crates.io, started on a free loopback port and stopped (by its
//! PID) when dropped.
//!
//! The binary is taken from `TANSU_BIN`, else from `target/tools/bin/tansu`; when neither
//! exists it is installed there with `cargo install` (once, a few minutes), so the tests need
//! nothing but the Rust toolchain and a C compiler.

use std::fs;
use std::io::{self, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The tansu release the tests run against.
pub const TANSU_VERSION: &str = "0.6.0";
/// Its cargo features: `dynostore` for the in-memory store, `libsql` for the SQLite store that
/// survives a restart.
pub const TANSU_FEATURES: &str = "dynostore,libsql";

/// Where the broker keeps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// In memory: fast, forgotten when the broker stops.
    Memory,
    /// A SQLite file in the broker's folder: kept across a restart.
    Sqlite,
}

/// Why a broker could not be started.
#[derive(Debug)]
pub struct BrokerError(pub String);

impl std::fmt::Display for BrokerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BrokerError {}

impl From<io::Error> for BrokerError {
    fn from(error: io::Error) -> Self {
        BrokerError(error.to_string())
    }
}

/// A running tansu broker, stopped when dropped.
#[derive(Debug)]
pub struct Broker {
    child: Option<Child>,
    /// Where tansu listens.
    port: u16,
    storage: Storage,
    folder: PathBuf,
    /// With TLS: the TLS proxy in front of tansu and the port clients use.
    tls: Option<TlsFront>,
    /// Clients must authenticate (SASL/SCRAM).
    authentication: bool,
}

#[derive(Debug)]
struct TlsFront {
    port: u16,
    proxy: Option<Child>,
}

fn workspace_target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The tansu binary: `TANSU_BIN`, else `target/tools/bin/tansu`, installed there if missing.
pub fn tansu_binary() -> Result<PathBuf, BrokerError> {
    if let Some(path) = std::env::var_os("TANSU_BIN") {
        return Ok(PathBuf::from(path));
    }
    static INSTALL: Mutex<()> = Mutex::new(());
    let _one_install_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let root = workspace_target().join("tools");
    let binary = root.join("bin").join("tansu");
    let installed = Command::new(&binary)
        .arg("--version")
        .output()
        .map(|output| {
            String::from_utf8_lossy(&output.stdout).trim() == format!("tansu {TANSU_VERSION}")
        })
        .unwrap_or(false);
    if installed {
        return Ok(binary);
    }
    eprintln!(
        "installing tansu {TANSU_VERSION} into {} (once; a few minutes)",
        root.display()
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["install", "tansu", "--locked", "--debug"])
        .args(["--version", TANSU_VERSION, "--features", TANSU_FEATURES])
        .arg("--root")
        .arg(&root)
        .status()?;
    if !status.success() || !binary.exists() {
        return Err(BrokerError(format!(
            "`cargo install tansu --version {TANSU_VERSION}` failed ({status}); \
             install it yourself and set TANSU_BIN"
        )));
    }
    Ok(binary)
}

fn free_port() -> Result<u16, BrokerError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn unique_folder() -> Result<PathBuf, BrokerError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let number = COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
    let folder = workspace_target()
        .join("tansu-brokers")
        .join(format!("{}-{number}", std::process::id()));
    if folder.exists() {
        fs::remove_dir_all(&folder)?;
    }
    fs::create_dir_all(&folder)?;
    Ok(folder)
}

impl Broker {
    /// Starts a broker with `storage` on a free port and waits until it accepts connections.
    pub fn start(storage: Storage) -> Result<Broker, BrokerError> {
        Self::start_with(storage, false)
    }

    /// Starts a broker that clients reach only over TLS, with a self-signed certificate for
    /// 127.0.0.1 (made with the `openssl` command; clients trust
    /// [`certificate`](Self::certificate)). tansu 0.6.0 cannot serve TLS itself (its `--cert`
    /// and `--key` options exclude each other), so `tests/tls_proxy.py` (Python's standard
    /// library) terminates TLS in front of it and the broker advertises the proxy's port.
    pub fn start_tls(storage: Storage) -> Result<Broker, BrokerError> {
        Self::start_with(storage, true)
    }

    fn start_with(storage: Storage, tls: bool) -> Result<Broker, BrokerError> {
        let mut broker = Broker {
            child: None,
            port: free_port()?,
            storage,
            folder: unique_folder()?,
            tls: None,
            authentication: false,
        };
        if tls {
            broker.make_certificate()?;
            broker.tls = Some(TlsFront {
                port: free_port()?,
                proxy: None,
            });
        }
        broker.launch()?;
        Ok(broker)
    }

    /// Starts a broker (SQLite store) that accepts only clients authenticated with SASL
    /// `SCRAM-SHA-512` as `user`/`password`: the user is created with `tansu user create`, then
    /// the broker restarts with `--authentication`.
    pub fn start_with_scram_user(user: &str, password: &str) -> Result<Broker, BrokerError> {
        let mut broker = Self::start_with(Storage::Sqlite, false)?;
        let output = Command::new(tansu_binary()?)
            .args(["user", "create", "--mechanism", "scram512", "--broker"])
            .arg(format!("tcp://127.0.0.1:{}", broker.port))
            .args([user, password])
            .output()?;
        if !output.status.success() {
            return Err(BrokerError(format!(
                "`tansu user create` failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        broker.authentication = true;
        broker.restart()?;
        Ok(broker)
    }

    /// The broker's TLS certificate (PEM), for `ssl.ca.location`.
    pub fn certificate(&self) -> PathBuf {
        self.folder.join("cert.pem")
    }

    fn make_certificate(&self) -> Result<(), BrokerError> {
        let output = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=localhost"])
            .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
            .args(["-keyout", "key.pem", "-out", "cert.pem"])
            .current_dir(&self.folder)
            .output()
            .map_err(|error| {
                BrokerError(format!(
                    "cannot run `openssl` to make a certificate: {error}"
                ))
            })?;
        if !output.status.success() {
            return Err(BrokerError(format!(
                "`openssl req` failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        Ok(())
    }

    /// `host:port` for `bootstrap.servers`.
    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.client_port())
    }

    /// The port clients connect to (and the broker advertises).
    fn client_port(&self) -> u16 {
        self.tls.as_ref().map_or(self.port, |tls| tls.port)
    }

    /// The broker's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kills the broker process (by its PID) and waits for it to exit.
    pub fn stop(&mut self) {
        let proxy = self.tls.as_mut().and_then(|tls| tls.proxy.take());
        for mut child in self.child.take().into_iter().chain(proxy) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the broker again on the same port with the same storage.
    pub fn restart(&mut self) -> Result<(), BrokerError> {
        self.stop();
        self.launch()
    }

    fn launch(&mut self) -> Result<(), BrokerError> {
        let url = format!("tcp://127.0.0.1:{}", self.port);
        let advertised = format!("tcp://127.0.0.1:{}", self.client_port());
        let storage = match self.storage {
            Storage::Memory => "memory://tansu/",
            // Relative to the broker's working folder.
            Storage::Sqlite => "sqlite://tansu.db",
        };
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.folder.join("broker.log"))?;
        let mut command = Command::new(tansu_binary()?);
        command
            .arg("broker")
            .args([
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &advertised,
            ])
            .args(["--storage-engine", storage]);
        if self.authentication {
            command.arg("--authentication");
        }
        let child = command
            .current_dir(&self.folder)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        self.child = Some(child);
        self.wait_until_listening(self.port, Duration::from_secs(60))?;
        if let Some(tls) = &mut self.tls {
            let proxy = Command::new("python3")
                .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tls_proxy.py"))
                .args([tls.port.to_string(), self.port.to_string()])
                .args(["cert.pem", "key.pem"])
                .current_dir(&self.folder)
                .stdin(Stdio::null())
                .spawn()
                .map_err(|error| BrokerError(format!("cannot start the TLS proxy: {error}")))?;
            tls.proxy = Some(proxy);
            let port = tls.port;
            self.wait_until_listening(port, Duration::from_secs(30))?;
        }
        Ok(())
    }

    fn wait_until_listening(&mut self, port: u16, limit: Duration) -> Result<(), BrokerError> {
        let started = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(BrokerError(format!(
                        "tansu exited ({status}) before listening; its log:\n{}",
                        self.log_tail()
                    )));
                }
            }
            if started.elapsed() > limit {
                return Err(BrokerError(format!(
                    "nothing listened on {port} within {limit:?}; the broker's log:\n{}",
                    self.log_tail()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The last lines the broker wrote, for failure messages.
    pub fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = fs::File::open(self.folder.join("broker.log")) {
            let _ = file.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.folder);
    }
}
