//! The binary record of every catalog event on any bytes: checked access and decode never
//! panic, and what decodes is a valid event that encodes back to the same bytes.
#![no_main]

use event_core::catalog::Example;
use event_core::codec::DecodeOptions;
use kafka_events_fuzz::events::{check_nth_event, EventCheck};
use libfuzzer_sys::fuzz_target;

struct Binary;

impl EventCheck for Binary {
    fn check<E: Example>(&self, bytes: &[u8]) {
        // Decoding is checked access (bytecheck, on a 16-aligned copy when the bytes are not
        // aligned) and then deserialization, so both run on every input.
        let options = DecodeOptions::default();
        let decoded = E::from_binary_value(bytes, &options)
            .expect("every event of the game's catalog has a binary form");
        let Ok(envelope) = decoded else {
            return;
        };
        let encoded = E::binary_value(&envelope)
            .expect("a binary form")
            .expect("a decoded event encodes");
        let again = E::from_binary_value(&encoded, &options)
            .expect("a binary form")
            .expect("and decodes again");
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
