use event_core::{DomainEvents, Envelope};

#[derive(Debug, DomainEvents)]
pub struct NotAnEnum {
    pub a: u8,
}

#[derive(Debug, DomainEvents)]
pub enum NoVariants {}

#[derive(Debug, DomainEvents)]
pub enum WrongVariants {
    Unit,
    Named { event: u8 },
    NotAnEnvelope(Vec<u8>),
    Two(Envelope<u8>, u8),
}

#[derive(Debug, DomainEvents)]
pub enum Generic<T> {
    Event(Envelope<T>),
}

fn uses(event: WrongVariants) -> &'static str {
    // the fallback impl keeps this line free of errors
    event_core::codec::DomainEvents::event_type(&event)
}

fn main() {
    let _ = uses;
}
