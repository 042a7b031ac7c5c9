//! The clients' metrics on a Prometheus endpoint (the `prometheus` feature), served by
//! `metrics-exporter-prometheus` on a thread of its own.

use std::net::SocketAddr;

use event_core::metrics::{HISTOGRAMS, LATENCY_BUCKETS};
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder};

/// Why the Prometheus endpoint could not be started.
#[derive(Debug, thiserror::Error)]
pub enum PrometheusError {
    /// The exporter could not be built: the address is taken, or a recorder is already installed.
    #[error("the Prometheus endpoint on {address} could not be started: {source}")]
    Start {
        /// The address asked for.
        address: SocketAddr,
        /// The exporter's reason.
        #[source]
        source: BuildError,
    },
}

/// A [`PrometheusBuilder`] with the latency histograms of [`event_core::metrics::HISTOGRAMS`]
/// as true histograms (buckets [`LATENCY_BUCKETS`], 100 µs to 10 s), for callers that combine
/// recorders or choose their own listener.
pub fn prometheus_builder() -> Result<PrometheusBuilder, BuildError> {
    HISTOGRAMS
        .iter()
        .try_fold(PrometheusBuilder::new(), |builder, name| {
            builder.set_buckets_for_metric(Matcher::Full((*name).to_owned()), LATENCY_BUCKETS)
        })
}

/// Installs the process's metrics recorder and serves every metric at `http://<address>/`
/// (any path) in Prometheus' text format. Call it once, before the first producer or consumer
/// is created: clients keep the handles they obtained, and before a recorder is installed those
/// record nothing.
///
/// ```no_run
/// event_kafka::serve_prometheus(([0, 0, 0, 0], 9464).into())?;
/// # Ok::<(), event_kafka::PrometheusError>(())
/// ```
pub fn serve_prometheus(address: SocketAddr) -> Result<(), PrometheusError> {
    prometheus_builder()
        .and_then(|builder| builder.with_http_listener(address).install())
        .map_err(|source| PrometheusError::Start { address, source })
}
