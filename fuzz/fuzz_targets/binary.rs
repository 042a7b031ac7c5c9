//! The binary record of every catalog event on any bytes: checked access and decode never
//! panic, and what decodes is a valid event that encodes back to the same bytes.
#![no_main]

use event_core::catalog::Example;
use event_core::Envelope;
use kafka_events_fuzz::events::{check_nth_event, EventCheck};
use libfuzzer_sys::fuzz_target;

struct Binary;

impl EventCheck for Binary {
    fn check<E: Example>(&self, bytes: &[u8]) {
        // Checked access takes aligned bytes (from_binary copies unaligned ones itself).
        let mut aligned = rkyv::util::AlignedVec::<16>::with_capacity(bytes.len());
        aligned.extend_from_slice(bytes);
        let accessed = Envelope::<E>::access_binary(&aligned).is_ok();
        let Ok(envelope) = Envelope::<E>::from_binary(bytes) else {
            return;
        };
        assert!(accessed, "what decodes can be accessed");
        let encoded = envelope.to_binary().expect("a decoded event encodes");
        let again = Envelope::<E>::from_binary(&encoded).expect("and decodes again");
        assert_eq!(again, envelope, "decode(encode(event)) == event");
        envelope
            .to_json()
            .expect("a decoded binary record is a valid event");
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some((&index, bytes)) = data.split_first() {
        check_nth_event(index, bytes, &Binary);
    }
});
