//! Value types shared by several domains; each lives here once.

use event_core::EventSchema;
use serde::{Deserialize, Serialize};

/// A point or direction in world space, in metres.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[event(binary)]
pub struct Vec3 {
    /// East-west axis.
    #[event(minimum = -100000.0, maximum = 100000.0)]
    pub x: f32,
    /// Vertical axis.
    #[event(minimum = -100000.0, maximum = 100000.0)]
    pub y: f32,
    /// North-south axis.
    #[event(minimum = -100000.0, maximum = 100000.0)]
    pub z: f32,
}

/// The currencies of the game's economy.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum Currency {
    /// Earned by playing.
    Gold,
    /// Bought with real money.
    Gems,
    /// Earned in ranked play.
    HonorPoints,
}

/// An amount of one currency, in its smallest unit.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
pub struct Money {
    /// The currency.
    pub currency: Currency,
    /// The amount, in the currency's smallest unit.
    #[event(maximum = 1000000000000u64)]
    pub amount: u64,
}

/// A number of identical items.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[event(binary)]
pub struct ItemStack {
    /// Catalog identifier of the item, e.g. `weapon.rifle.ak_mk2`.
    #[event(min_length = 3, max_length = 64, pattern = "^[a-z0-9_.]+$")]
    pub item_sku: String,
    /// How many.
    #[event(minimum = 1, maximum = 9999)]
    pub quantity: u16,
}

/// Kinds of damage; armour and resistances apply per kind.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum DamageType {
    /// Bullets, blades, fists.
    Kinetic,
    /// Explosions and blast waves.
    Explosive,
    /// Fire and burning.
    Fire,
    /// Electric and energy weapons.
    Energy,
    /// Poison and gas, over time.
    Toxic,
    /// Ignores armour (falls, out of bounds).
    True,
}

/// Game server regions.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    /// Europe West.
    EuWest,
    /// Europe North.
    EuNorth,
    /// North America East.
    NaEast,
    /// North America West.
    NaWest,
    /// Asia Pacific South-East.
    ApSoutheast,
    /// South America.
    SaEast,
}

/// How a game session is played.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum GameMode {
    /// Everyone for themselves.
    Deathmatch,
    /// Two teams, most kills wins.
    TeamDeathmatch,
    /// Two teams, capture the other team's flag.
    CaptureTheFlag,
    /// Last player standing on a shrinking map.
    BattleRoyale,
}

/// Health of a service or of one of its checks.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// Working normally.
    Healthy,
    /// Working with reduced capacity or higher latency.
    Degraded,
    /// Not serving.
    Unhealthy,
}
