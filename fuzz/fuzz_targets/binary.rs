//! The binary record of every catalog event on any bytes: checked access and decode never
//! panic, and what decodes is a valid event that encodes back to the same bytes.
#![no_main]

use event_core::catalog::{EventVisitor, Example};
use event_core::codec::DomainEvents;
use event_core::Envelope;
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};
use libfuzzer_sys::fuzz_target;

/// Decodes the bytes as the `target`-th event visited.
struct Decode<'a> {
    target: usize,
    seen: usize,
    bytes: &'a [u8],
}

impl EventVisitor for Decode<'_> {
    fn visit<E: Example>(&mut self) {
        if self.seen == self.target {
            check::<E>(self.bytes);
        }
        self.seen += 1;
    }
}

fn check<E: Example>(bytes: &[u8]) {
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

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let mut decode = Decode {
        target: usize::from(selector),
        seen: 0,
        bytes,
    };
    CombatEvent::visit_events(&mut decode);
    EconomyEvent::visit_events(&mut decode);
    SocialEvent::visit_events(&mut decode);
    SystemEvent::visit_events(&mut decode);
    PlayerEvent::visit_events(&mut decode);
    // Past the last event: wrap around.
    if decode.target >= decode.seen && decode.seen > 0 {
        decode.target %= decode.seen;
        decode.seen = 0;
        CombatEvent::visit_events(&mut decode);
        EconomyEvent::visit_events(&mut decode);
        SocialEvent::visit_events(&mut decode);
        SystemEvent::visit_events(&mut decode);
        PlayerEvent::visit_events(&mut decode);
    }
});
