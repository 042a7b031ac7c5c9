//! The catalog's events by index, for targets that read `[index, bytes…]`: the index picks
//! the event (wrapping past the last), in the visiting order of the domains' enums, which is
//! the order `tests/tests/fuzz_seeds.rs` writes the seeds in.

use event_core::catalog::{EventVisitor, Example};
use event_core::codec::DomainEvents;
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};

/// A check of bytes as one event type.
pub trait EventCheck {
    /// Checks `bytes` as an envelope of `E`.
    fn check<E: Example>(&self, bytes: &[u8]);
}

/// Runs `check` for the `index`-th event of the catalog (modulo their number).
pub fn check_nth_event(index: u8, bytes: &[u8], check: &impl EventCheck) {
    struct Count(usize);
    impl EventVisitor for Count {
        fn visit<E: Example>(&mut self) {
            self.0 += 1;
        }
    }
    struct Nth<'a, C> {
        target: usize,
        seen: usize,
        bytes: &'a [u8],
        check: &'a C,
    }
    impl<C: EventCheck> EventVisitor for Nth<'_, C> {
        fn visit<E: Example>(&mut self) {
            if self.seen == self.target {
                self.check.check::<E>(self.bytes);
            }
            self.seen += 1;
        }
    }
    fn visit_all(visitor: &mut impl EventVisitor) {
        CombatEvent::visit_events(visitor);
        EconomyEvent::visit_events(visitor);
        SocialEvent::visit_events(visitor);
        SystemEvent::visit_events(visitor);
        PlayerEvent::visit_events(visitor);
    }
    let mut count = Count(0);
    visit_all(&mut count);
    if count.0 == 0 {
        return;
    }
    visit_all(&mut Nth {
        target: usize::from(index) % count.0,
        seen: 0,
        bytes,
        check,
    });
}
