event_core::domain! {
    /// A service name is a principal and a group prefix: lower case, no spaces.
    pub struct Combat {
        name: "combat",
        topic: "game.combat.events",
        partitions: 6,
        retention_days: 3,
        priority: Normal,
        producers: ["Combat Service"],
    }
}

event_core::domain! {
    /// The same service twice in one role.
    pub struct Economy {
        name: "economy",
        topic: "game.economy.events",
        partitions: 6,
        retention_days: 3,
        priority: Normal,
        key_fields: [player_id],
        producers: ["economy-service"],
        consumers: ["analytics", "ledger", "analytics"],
    }
}

fn main() {}
