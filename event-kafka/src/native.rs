//! The one place event-kafka calls librdkafka's C API itself: reading a consumed record's
//! headers as bytes, and a produced record's time in librdkafka.
//!
//! rdkafka's `Headers::iter` turns each header name into a `&str` with `unwrap`, so a record
//! whose header name is not UTF-8 panics the consumer before its offset is stored (a crash
//! loop on one record). Here names stay bytes, and a name that holds a NUL byte, which the C
//! API hands out cut at that byte, is reported instead of being read short.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_void, CStr};
use std::ptr;
use std::time::Duration;

use rdkafka::bindings as rdsys;
use rdkafka::message::BorrowedMessage;
use rdkafka::types::{RDKafkaErrorCode, RDKafkaRespErr};

/// One header of a consumed record, as it came off the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NativeHeader<'m> {
    /// The name up to its first NUL byte (all of it, unless `name_cut_at_nul`).
    pub(crate) name: &'m [u8],
    /// The value; `None` for a null value.
    pub(crate) value: Option<&'m [u8]>,
    /// The name holds a NUL byte, so `name` is only its start.
    pub(crate) name_cut_at_nul: bool,
}

/// The headers of `message`, in record order: none when it has none, `Err` with librdkafka's
/// code when its header block cannot be parsed.
pub(crate) fn message_headers<'m>(
    message: &'m BorrowedMessage<'_>,
) -> Result<NativeHeaders<'m>, RDKafkaErrorCode> {
    let mut headers: *mut rdsys::rd_kafka_headers_t = ptr::null_mut();
    // SAFETY: `message.ptr()` is the live message `message` owns; librdkafka parses its
    // headers once, stores them in the message and hands out a pointer owned by the message,
    // valid until the message is destroyed, which `'m` (a borrow of `message`) outlives.
    let code = unsafe { rdsys::rd_kafka_message_headers(message.ptr(), &mut headers) };
    match code {
        RDKafkaRespErr::RD_KAFKA_RESP_ERR_NO_ERROR => {}
        RDKafkaRespErr::RD_KAFKA_RESP_ERR__NOENT => headers = ptr::null_mut(),
        other => return Err(other.into()),
    }
    let count = if headers.is_null() {
        0
    } else {
        // SAFETY: `headers` is the non-null header list librdkafka returned above.
        unsafe { rdsys::rd_kafka_header_cnt(headers) }
    };
    Ok(NativeHeaders {
        headers,
        next: 0,
        count,
        message: std::marker::PhantomData,
    })
}

/// The headers of one consumed record, read one by one from librdkafka's list (no copy of
/// the list is made).
pub(crate) struct NativeHeaders<'m> {
    /// librdkafka's list, owned by the message; null when the record has no headers.
    headers: *const rdsys::rd_kafka_headers_t,
    next: usize,
    count: usize,
    message: std::marker::PhantomData<&'m ()>,
}

impl<'m> Iterator for NativeHeaders<'m> {
    type Item = Result<NativeHeader<'m>, RDKafkaErrorCode>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.count {
            return None;
        }
        let index = self.next;
        self.next += 1;
        let mut name: *const c_char = ptr::null();
        let mut value: *const c_void = ptr::null();
        let mut size: usize = 0;
        // SAFETY: `index < count` of the non-null list `message_headers` read (`count` is 0
        // for a null list); the out-pointers are valid locals.
        let code = unsafe {
            rdsys::rd_kafka_header_get_all(self.headers, index, &mut name, &mut value, &mut size)
        };
        if code != RDKafkaRespErr::RD_KAFKA_RESP_ERR_NO_ERROR || name.is_null() {
            self.next = self.count;
            return Some(Err(code.into()));
        }
        // SAFETY: librdkafka stores every name NUL-terminated in the header's own allocation,
        // which lives as long as the message.
        let name_bytes = unsafe { CStr::from_ptr(name) }.to_bytes();
        let value_bytes = if value.is_null() {
            None
        } else {
            // SAFETY: `value` points at `size` bytes of the header's allocation (librdkafka
            // reports the size beside the pointer), alive as long as the message.
            Some(unsafe { std::slice::from_raw_parts(value.cast::<u8>(), size) })
        };
        Some(Ok(NativeHeader {
            name: name_bytes,
            value: value_bytes,
            name_cut_at_nul: name_cut_at_nul(name, name_bytes.len(), value),
        }))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.count - self.next;
        (left, Some(left))
    }
}

/// Whether a header's name went on past the NUL byte that ends the C string. librdkafka
/// allocates name, NUL, value, NUL in one block (`rd_kafka_header_add`: the value "points to
/// rkhdr_name+.."), so a value that starts further on than `name + len + 1` means the name was
/// longer. Only addresses are compared; nothing past the C string is read. A null value has no
/// address to compare with: such a name is read up to its NUL byte.
fn name_cut_at_nul(name: *const c_char, len: usize, value: *const c_void) -> bool {
    !value.is_null() && (value as usize) > (name as usize) + len + 1
}

/// How long librdkafka held a produced record, from the produce call to its delivery report
/// (`None` when it does not know).
pub(crate) fn delivery_latency(message: &BorrowedMessage<'_>) -> Option<Duration> {
    // SAFETY: `message.ptr()` is the live message `message` owns (the delivery report's);
    // librdkafka only reads its enqueue time.
    let micros = unsafe { rdsys::rd_kafka_message_latency(message.ptr()) };
    u64::try_from(micros).ok().map(Duration::from_micros)
}

/// Raises librdkafka's fatal error on `client`, as a broker fencing an idempotent producer
/// would (librdkafka's own test hook): for the tests of what follows such an error.
#[cfg(test)]
pub(crate) fn raise_fatal_error<C: rdkafka::ClientContext>(client: &rdkafka::client::Client<C>) {
    // SAFETY: `native_ptr` is the live handle `client` owns; the reason is a NUL-terminated
    // literal that librdkafka copies.
    let code = unsafe {
        rdsys::rd_kafka_test_fatal_error(
            client.native_ptr(),
            RDKafkaRespErr::RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
            c"raised by a test".as_ptr(),
        )
    };
    assert_eq!(code, RDKafkaRespErr::RD_KAFKA_RESP_ERR_NO_ERROR);
}

#[cfg(test)]
mod tests {
    use super::name_cut_at_nul;

    #[test]
    fn a_value_right_after_the_name_means_the_whole_name_was_read() {
        let block = b"event_type\0combat\0";
        let name = block.as_ptr().cast();
        let value = block[11..].as_ptr().cast();
        assert!(!name_cut_at_nul(name, 10, value));
        assert!(name_cut_at_nul(name, 5, value), "a name read as `event`");
        assert!(!name_cut_at_nul(name, 5, std::ptr::null()));
    }
}
