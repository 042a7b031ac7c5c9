//! A consumed record's headers, read without trusting them: names stay bytes, and a header
//! block the consumer cannot read is an error, never a panic.

use event_core::codec::{CONTENT_TYPE_HEADER, EVENT_TYPE_HEADER};
use rdkafka::message::BorrowedMessage;
use rdkafka::types::RDKafkaErrorCode;

use crate::native::message_headers;

/// One header of a consumed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordHeader<'m> {
    /// The name's bytes (Kafka does not promise UTF-8; rdkafka's own iterator panics when
    /// they are not).
    pub name: &'m [u8],
    /// The value; `None` for a null value.
    pub value: Option<&'m [u8]>,
}

/// Why a record's headers cannot be read. The consumer dead-letters such a record with kind
/// `unreadable_headers`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// librdkafka could not parse the record's header block.
    #[error("the header block cannot be parsed: {0}")]
    Unparsable(RDKafkaErrorCode),
    /// A header's name is not UTF-8 (every Kafka client but a hostile one writes UTF-8 names).
    #[error("header {index}: the name is not UTF-8 ({} bytes)", .name_len)]
    NameNotUtf8 {
        /// The header's position, from 0.
        index: usize,
        /// The name's length in bytes.
        name_len: usize,
    },
    /// A header's name holds a NUL byte, so librdkafka can only hand out its start.
    #[error("header {index}: the name holds a NUL byte")]
    NameWithNul {
        /// The header's position, from 0.
        index: usize,
    },
    /// More than one `event_type` header: which one names the event is ambiguous.
    #[error("{count} `event_type` headers")]
    RepeatedEventType {
        /// How many.
        count: usize,
    },
}

/// The headers of `message` in record order, names as bytes. Never panics, whatever the
/// record holds; use it instead of rdkafka's `Headers::iter` on records of untrusted
/// producers.
pub fn record_headers<'m>(
    message: &'m BorrowedMessage<'_>,
) -> Result<Vec<RecordHeader<'m>>, HeaderError> {
    let native = message_headers(message).map_err(HeaderError::Unparsable)?;
    let mut headers = Vec::with_capacity(native.size_hint().0);
    for (index, header) in native.enumerate() {
        let header = header.map_err(HeaderError::Unparsable)?;
        if header.name_cut_at_nul {
            return Err(HeaderError::NameWithNul { index });
        }
        headers.push(RecordHeader {
            name: header.name,
            value: header.value,
        });
    }
    Ok(headers)
}

/// The value of the one `event_type` header, after checking that every name is readable
/// UTF-8 and that the header is not repeated.
///
/// ```
/// use event_kafka::{event_type_header, HeaderError, RecordHeader};
/// let headers = [RecordHeader { name: b"event_type", value: Some(b"combat.player.attack") }];
/// assert_eq!(event_type_header(&headers), Ok(Some(&b"combat.player.attack"[..])));
/// let hostile = [RecordHeader { name: b"\xff", value: None }];
/// assert_eq!(event_type_header(&hostile), Err(HeaderError::NameNotUtf8 { index: 0, name_len: 1 }));
/// ```
pub fn event_type_header<'m>(
    headers: &[RecordHeader<'m>],
) -> Result<Option<&'m [u8]>, HeaderError> {
    let mut found = None;
    let mut count = 0;
    for (index, header) in headers.iter().enumerate() {
        if std::str::from_utf8(header.name).is_err() {
            return Err(HeaderError::NameNotUtf8 {
                index,
                name_len: header.name.len(),
            });
        }
        if header.name == EVENT_TYPE_HEADER.as_bytes() {
            count += 1;
            found = header.value;
        }
    }
    if count > 1 {
        return Err(HeaderError::RepeatedEventType { count });
    }
    Ok(found)
}

/// The value of the record's first `content-type` header, if any (the wire format: see
/// [`WireFormat::of`](event_core::codec::WireFormat::of)).
pub fn content_type_header<'m>(headers: &[RecordHeader<'m>]) -> Option<&'m [u8]> {
    headers
        .iter()
        .find(|header| header.name == CONTENT_TYPE_HEADER.as_bytes())
        .and_then(|header| header.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_event_type_is_ambiguous() {
        let headers = [
            RecordHeader {
                name: b"event_type",
                value: Some(b"a.b.c"),
            },
            RecordHeader {
                name: b"event_type",
                value: Some(b"a.b.d"),
            },
        ];
        assert_eq!(
            event_type_header(&headers),
            Err(HeaderError::RepeatedEventType { count: 2 })
        );
    }

    #[test]
    fn no_event_type_header_is_none() {
        let headers = [RecordHeader {
            name: b"traceparent",
            value: None,
        }];
        assert_eq!(event_type_header(&headers), Ok(None));
    }
}
