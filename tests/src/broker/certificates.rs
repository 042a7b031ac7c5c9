//! A throw-away certificate authority and the broker's TLS certificate for 127.0.0.1, made with
//! the `openssl` command (EC P-256 keys: generated in milliseconds).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use super::BrokerError;

/// The CA's certificate (PEM), what clients trust (`ssl.ca.location`).
pub const CA_CERTIFICATE: &str = "ca.pem";
/// The broker's key and certificate chain in one PEM file (`ssl.keystore.type=PEM`).
pub const BROKER_KEYSTORE: &str = "broker.keystore.pem";
/// The file stem of the CA the broker trusts (`ca.pem`, `ca.key`).
pub const CA_NAME: &str = "ca";

/// EC P-256 keys: generated in milliseconds.
const EC_P256: [&str; 4] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];

fn openssl(folder: &Path, args: &[&str]) -> Result<(), BrokerError> {
    super::run(
        Command::new("openssl").args(args).current_dir(folder),
        &format!("`openssl {}`", args.join(" ")),
        "the TLS listener's certificates are made with the `openssl` command",
    )
}

/// A self-signed CA named `common_name`: `<name>.pem` and its key `<name>.key` in `folder`.
fn make_certificate_authority(
    folder: &Path,
    name: &str,
    common_name: &str,
) -> Result<(), BrokerError> {
    let subject = format!("/CN={common_name}");
    let (key, certificate) = (format!("{name}.key"), format!("{name}.pem"));
    let ca = ["req", "-x509", "-nodes", "-days", "2", "-subj", &subject];
    let files = ["-keyout", &key, "-out", &certificate];
    openssl(folder, &[&ca[..], &EC_P256, &files].concat())
}

/// Writes [`CA_CERTIFICATE`] and [`BROKER_KEYSTORE`] (a certificate for `CN=localhost`,
/// subject alternative names `127.0.0.1` and `localhost`, signed by the CA) into `folder`.
pub fn make_broker_certificates(folder: &Path) -> Result<(), BrokerError> {
    make_certificate_authority(folder, CA_NAME, "kafka-events-test-ca")?;
    let request = ["req", "-nodes", "-subj", "/CN=localhost"];
    let names = ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"];
    let request_files = ["-keyout", "broker.key", "-out", "broker.csr"];
    openssl(
        folder,
        &[&request[..], &EC_P256, &names, &request_files].concat(),
    )?;
    openssl(
        folder,
        &[
            "x509",
            "-req",
            "-in",
            "broker.csr",
            "-CA",
            CA_CERTIFICATE,
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-copy_extensions",
            "copy",
            "-out",
            "broker.pem",
        ],
    )?;
    // Kafka's PEM keystore: the (unencrypted PKCS#8) key, then the certificate chain.
    let key = std::fs::read_to_string(folder.join("broker.key"))?;
    let certificate = std::fs::read_to_string(folder.join("broker.pem"))?;
    std::fs::write(folder.join(BROKER_KEYSTORE), key + &certificate)?;
    Ok(())
}

/// Client certificates are made one at a time: the CA's serial file and a CA made on first use
/// are shared by every test of the process.
static MAKING: Mutex<()> = Mutex::new(());

/// Numbers the client certificates of this process, so that each call writes files of its own:
/// tests that run at once may ask for the same service's certificate while another test's
/// client is reading its files.
static ISSUED: AtomicU64 = AtomicU64::new(0);

/// A certificate for `CN=<common_name>` signed by the CA `<ca>.pem`/`<ca>.key` in `folder`:
/// `client-<ca>-<common_name>-<n>.pem` and its key `….key` (unencrypted PKCS#8), new files at
/// each call.
pub fn make_client_certificate(
    folder: &Path,
    common_name: &str,
    ca: &str,
) -> Result<(PathBuf, PathBuf), BrokerError> {
    let _one_at_a_time = MAKING.lock().unwrap_or_else(PoisonError::into_inner);
    issue_client_certificate(folder, common_name, ca)
}

fn issue_client_certificate(
    folder: &Path,
    common_name: &str,
    ca: &str,
) -> Result<(PathBuf, PathBuf), BrokerError> {
    let number = ISSUED.fetch_add(1, Ordering::Relaxed);
    let stem = format!("client-{ca}-{common_name}-{number}");
    let (key, request, certificate) = (
        format!("{stem}.key"),
        format!("{stem}.csr"),
        format!("{stem}.pem"),
    );
    let subject = format!("/CN={common_name}");
    let request_args = ["req", "-nodes", "-subj", &subject];
    let request_files = ["-keyout", &key, "-out", &request];
    openssl(
        folder,
        &[&request_args[..], &EC_P256, &request_files].concat(),
    )?;
    let (ca_certificate, ca_key) = (format!("{ca}.pem"), format!("{ca}.key"));
    openssl(
        folder,
        &[
            "x509",
            "-req",
            "-in",
            &request,
            "-CA",
            &ca_certificate,
            "-CAkey",
            &ca_key,
            "-CAcreateserial",
            "-days",
            "2",
            "-out",
            &certificate,
        ],
    )?;
    Ok((folder.join(certificate), folder.join(key)))
}

/// A certificate for `CN=<common_name>` signed by a CA of its own (`foreign-ca`), made on
/// first use, that the broker does not trust.
pub fn make_foreign_client_certificate(
    folder: &Path,
    common_name: &str,
) -> Result<(PathBuf, PathBuf), BrokerError> {
    const FOREIGN: &str = "foreign-ca";
    let _one_at_a_time = MAKING.lock().unwrap_or_else(PoisonError::into_inner);
    if !folder.join(format!("{FOREIGN}.pem")).exists() {
        make_certificate_authority(folder, FOREIGN, "kafka-events-foreign-ca")?;
    }
    issue_client_certificate(folder, common_name, FOREIGN)
}
