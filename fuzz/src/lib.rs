//! What the fuzz targets share: reading a record from the fuzzer's bytes, and the properties
//! every decoded event must have.

use event_core::codec::DomainEvents;
use event_kafka::{capped_error_text, DeadLetterReason, MAX_ERROR_TEXT_BYTES};

pub mod events;
pub mod schema;

/// A record as a consumer receives it, read from the fuzzer's bytes: byte 0 picks the domain,
/// byte 1 the `event_type` header (0: none; 1 to 200: the domain's event of that index, modulo
/// their number; above: the next byte gives the length of raw header bytes), the rest is the
/// value.
pub struct Record<'a> {
    /// Which domain's enum decodes it.
    pub domain: u8,
    /// How the header is chosen.
    pub header: Header<'a>,
    /// The record's value.
    pub value: &'a [u8],
}

/// The `event_type` header of a [`Record`].
pub enum Header<'a> {
    /// No header.
    Absent,
    /// The name of the domain's event of this index.
    Known(usize),
    /// These bytes.
    Raw(&'a [u8]),
}

impl<'a> Record<'a> {
    /// Reads a record; `None` for fewer than two bytes.
    pub fn read(data: &'a [u8]) -> Option<Self> {
        let (&domain, rest) = data.split_first()?;
        let (&choice, rest) = rest.split_first()?;
        let (header, value) = match choice {
            0 => (Header::Absent, rest),
            1..=200 => (Header::Known(usize::from(choice - 1)), rest),
            _ => {
                let (&len, rest) = rest.split_first().unwrap_or((&0, rest));
                let len = usize::from(len).min(rest.len());
                (Header::Raw(&rest[..len]), &rest[len..])
            }
        };
        Some(Record {
            domain,
            header,
            value,
        })
    }
}

/// Decodes `record` as `E` and checks what must hold whatever the bytes: a decoded event
/// re-encodes (validated) and decodes to itself; a refused record's dead-letter text stays
/// under its cap and names a kind.
pub fn check_dispatch<E: DomainEvents + PartialEq>(record: &Record<'_>) {
    let header = match record.header {
        Header::Absent => None,
        Header::Known(index) => Some(E::EVENT_TYPES[index % E::EVENT_TYPES.len()].as_bytes()),
        Header::Raw(bytes) => Some(bytes),
    };
    match E::decode(header, record.value) {
        Ok(event) => {
            let encoded = event
                .to_record()
                .expect("a decoded event re-encodes and validates");
            let again = E::decode_record(&encoded).expect("a re-encoded event decodes");
            assert_eq!(again, event, "decode(encode(event)) == event");
        }
        Err(reason) => {
            let reason = DeadLetterReason::from(reason);
            assert!(!reason.kind().is_empty());
            let text = capped_error_text(&reason.to_string());
            assert!(text.len() <= MAX_ERROR_TEXT_BYTES, "{} bytes", text.len());
        }
    }
}
