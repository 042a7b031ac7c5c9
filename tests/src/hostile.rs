//! Records no well-behaved client writes (header names that are not UTF-8 or hold a NUL byte),
//! written through librdkafka's C API because rdkafka's safe API only takes `&str` names.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_void, CString};
use std::sync::Mutex;

use event_kafka::KafkaConfig;
use rdkafka::bindings as rdsys;
use rdkafka::producer::{BaseProducer, DeliveryResult, Producer, ProducerContext};
use rdkafka::types::RDKafkaRespErr;
use rdkafka::ClientContext;

/// Keeps the delivery reports' errors, so a refused record fails the test that wrote it.
#[derive(Default)]
pub struct Deliveries {
    failures: Mutex<Vec<String>>,
}

impl ClientContext for Deliveries {}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((error, _)) = result {
            if let Ok(mut failures) = self.failures.lock() {
                failures.push(error.to_string());
            }
        }
    }
}

/// A plain librdkafka producer for records no well-behaved client writes.
///
/// It compresses with the topics' own codec (lz4), so the broker keeps its batches byte for
/// byte: a batch it has to rebuild (another codec, or one librdkafka left uncompressed because
/// lz4 did not make it smaller) goes through Kafka's Java code, which turns a header name that
/// is not UTF-8 into U+FFFD.
pub struct RawProducer(BaseProducer<Deliveries>);

/// The value of `key` in the event producer's defaults.
///
/// # Panics
/// When [`PRODUCER_DEFAULTS`](event_kafka::PRODUCER_DEFAULTS) has no such key: a test helper.
pub fn producer_default(key: &str) -> &'static str {
    event_kafka::PRODUCER_DEFAULTS
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, value)| *value)
        .unwrap_or_else(|| panic!("PRODUCER_DEFAULTS has no {key}"))
}

impl RawProducer {
    /// A raw producer with `config`, partitioning keys as [`EventProducer`] does (so a raw
    /// record lands in the partition of the events with its key).
    ///
    /// # Panics
    /// When librdkafka refuses the configuration: a test helper.
    ///
    /// [`EventProducer`]: event_kafka::EventProducer
    pub fn new(config: &KafkaConfig) -> Self {
        let producer = config
            .rdkafka_config()
            .set("compression.type", "lz4")
            .set("partitioner", producer_default("partitioner"))
            .create_with_context(Deliveries::default())
            .expect("raw producer");
        RawProducer(producer)
    }

    /// Writes one record with `headers` (names as raw bytes) to `topic` and waits until it is
    /// delivered.
    ///
    /// # Panics
    /// When librdkafka refuses or does not deliver the record within 30 s: a test helper.
    pub fn send(&self, topic: &str, key: &[u8], value: &[u8], headers: &[(&[u8], Option<&[u8]>)]) {
        produce_with_raw_headers(&self.0, topic, key, value, headers);
        let failures = self.0.context().failures.lock().map(|f| f.clone());
        assert_eq!(
            failures.ok(),
            Some(Vec::new()),
            "the raw record was refused"
        );
    }
}

fn produce_with_raw_headers(
    producer: &BaseProducer<Deliveries>,
    topic: &str,
    key: &[u8],
    value: &[u8],
    headers: &[(&[u8], Option<&[u8]>)],
) {
    let topic = CString::new(topic).expect("topic without NUL");
    // SAFETY: a fresh header list; ownership passes to librdkafka with the record below (or
    // it is destroyed here when the record is refused).
    let list = unsafe { rdsys::rd_kafka_headers_new(headers.len()) };
    for (name, value) in headers {
        let (value_ptr, value_len) = match value {
            Some(value) => (value.as_ptr().cast::<c_void>(), value.len() as isize),
            None => (std::ptr::null(), 0),
        };
        // SAFETY: name and value are live slices of the given lengths; librdkafka copies them.
        let code = unsafe {
            rdsys::rd_kafka_header_add(
                list,
                name.as_ptr().cast::<c_char>(),
                name.len() as isize,
                value_ptr,
                value_len,
            )
        };
        assert_eq!(code, RDKafkaRespErr::RD_KAFKA_RESP_ERR_NO_ERROR);
    }
    let mut topic_vu = vu(rdsys::rd_kafka_vtype_t::RD_KAFKA_VTYPE_TOPIC);
    topic_vu.u.cstr = topic.as_ptr();
    let mut key_vu = vu(rdsys::rd_kafka_vtype_t::RD_KAFKA_VTYPE_KEY);
    key_vu.u.mem = rdsys::rd_kafka_vu_s__bindgen_ty_1__bindgen_ty_1 {
        ptr: key.as_ptr() as *mut c_void,
        size: key.len(),
    };
    let mut value_vu = vu(rdsys::rd_kafka_vtype_t::RD_KAFKA_VTYPE_VALUE);
    value_vu.u.mem = rdsys::rd_kafka_vu_s__bindgen_ty_1__bindgen_ty_1 {
        ptr: value.as_ptr() as *mut c_void,
        size: value.len(),
    };
    let mut flags_vu = vu(rdsys::rd_kafka_vtype_t::RD_KAFKA_VTYPE_MSGFLAGS);
    flags_vu.u.i = rdsys::RD_KAFKA_MSG_F_COPY;
    let mut headers_vu = vu(rdsys::rd_kafka_vtype_t::RD_KAFKA_VTYPE_HEADERS);
    headers_vu.u.headers = list;
    let fields = [topic_vu, key_vu, value_vu, flags_vu, headers_vu];
    // SAFETY: every field points at data alive for this call; F_COPY makes librdkafka copy
    // key and value; the header list is librdkafka's once the call succeeds.
    let error = unsafe {
        rdsys::rd_kafka_produceva(
            producer.client().native_ptr(),
            fields.as_ptr(),
            fields.len(),
        )
    };
    if !error.is_null() {
        // SAFETY: a refused record leaves the error and the header list with the caller.
        unsafe {
            let message = std::ffi::CStr::from_ptr(rdsys::rd_kafka_error_string(error))
                .to_string_lossy()
                .into_owned();
            rdsys::rd_kafka_error_destroy(error);
            rdsys::rd_kafka_headers_destroy(list);
            panic!("record refused: {message}");
        }
    }
    producer
        .flush(std::time::Duration::from_secs(30))
        .expect("delivered");
}

/// A field of `rd_kafka_produceva` of `vtype`, its value set by the caller.
fn vu(vtype: rdsys::rd_kafka_vtype_t) -> rdsys::rd_kafka_vu_t {
    rdsys::rd_kafka_vu_t {
        vtype,
        u: rdsys::rd_kafka_vu_s__bindgen_ty_1 { _pad: [0; 64] },
    }
}
