event_core::domain! {
    /// Upper case is not allowed in a domain name.
    pub struct Bad {
        name: "Match",
        topic: "game.match.events",
        partitions: 6,
        retention_days: 3,
        priority: Normal,
    }
}

fn main() {}
