//! A domain's consumer on any record: the validated JSON decode of every catalog event (the
//! header names it) and of each domain's dispatch (header and value bytes as they come).
#![no_main]

use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};
use kafka_events_fuzz::{check_dispatch, Record};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(record) = Record::read(data) else {
        return;
    };
    match record.domain % 5 {
        0 => check_dispatch::<CombatEvent>(&record),
        1 => check_dispatch::<EconomyEvent>(&record),
        2 => check_dispatch::<SocialEvent>(&record),
        3 => check_dispatch::<SystemEvent>(&record),
        _ => check_dispatch::<PlayerEvent>(&record),
    }
});
