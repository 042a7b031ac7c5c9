//! The derived JSON reader of every catalog event against serde_json on any bytes: what the
//! fast reader accepts, serde_json accepts with the same value; the codec's answer (value or
//! error) is serde_json's; what decodes is written back as serde_json writes it.
#![no_main]

use event_core::catalog::Example;
use event_core::Envelope;
use kafka_events_fuzz::events::{check_nth_event, EventCheck};
use libfuzzer_sys::fuzz_target;

struct Json;

impl EventCheck for Json {
    fn check<E: Example>(&self, bytes: &[u8]) {
        let oracle = serde_json::from_slice::<Envelope<E>>(bytes);
        if let Ok(fast) = event_core::json::read_fast::<Envelope<E>>(bytes) {
            let oracle = oracle
                .as_ref()
                .expect("what the reader accepts serde_json accepts");
            assert_eq!(&fast, oracle, "the reader reads what serde_json reads");
        }
        let ours = event_core::json::from_slice::<Envelope<E>>(bytes);
        match (&ours, &oracle) {
            (Ok(ours), Ok(oracle)) => assert_eq!(ours, oracle),
            (Err(ours), Err(oracle)) => assert_eq!(ours.to_string(), oracle.to_string()),
            _ => panic!("json::from_slice and serde_json disagree"),
        }
        if let Ok(envelope) = ours {
            let written = event_core::json::to_vec(&envelope).expect("writes");
            assert_eq!(written, serde_json::to_vec(&envelope).expect("serialises"));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some((&index, bytes)) = data.split_first() {
        check_nth_event(index, bytes, &Json);
    }
});
