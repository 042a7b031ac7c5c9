use event_core::{DomainEvents, Envelope};

#[derive(Debug, DomainEvents)]
pub enum BadMarks {
    #[domain(all)]
    WithArgument(Envelope<u8>),
    #[domain]
    #[domain]
    Twice(Envelope<u8>),
    #[domain]
    Unit,
}

#[derive(Debug, DomainEvents)]
pub enum NotADomainEnum {
    #[domain]
    Bytes(Vec<u8>),
}

fn main() {}
