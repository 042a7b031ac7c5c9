//! A throw-away certificate authority and the broker's TLS certificate for 127.0.0.1, made with
//! the `openssl` command (EC P-256 keys: generated in milliseconds).

use std::path::Path;
use std::process::Command;

use super::BrokerError;

/// The CA's certificate (PEM), what clients trust (`ssl.ca.location`).
pub const CA_CERTIFICATE: &str = "ca.pem";
/// The broker's key and certificate chain in one PEM file (`ssl.keystore.type=PEM`).
pub const BROKER_KEYSTORE: &str = "broker.keystore.pem";

fn openssl(folder: &Path, args: &[&str]) -> Result<(), BrokerError> {
    super::run(
        Command::new("openssl").args(args).current_dir(folder),
        &format!("`openssl {}`", args.join(" ")),
        "the TLS listener's certificates are made with the `openssl` command",
    )
}

/// Writes [`CA_CERTIFICATE`] and [`BROKER_KEYSTORE`] (a certificate for `CN=localhost`,
/// subject alternative names `127.0.0.1` and `localhost`, signed by the CA) into `folder`.
pub fn make_broker_certificates(folder: &Path) -> Result<(), BrokerError> {
    const EC_P256: [&str; 4] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
    let ca = [
        "req",
        "-x509",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=kafka-events-test-ca",
    ];
    let ca_files = ["-keyout", "ca.key", "-out", CA_CERTIFICATE];
    openssl(folder, &[&ca[..], &EC_P256, &ca_files].concat())?;
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
