//! Combat: the hot path (~20k events/s). Sessions, attacks, abilities, damage and anti-cheat.
//! Every event is keyed by its session so a session's events stay ordered in one partition.

use event_core::{EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};
use uuid::{uuid, Uuid};

use crate::shared::{DamageType, GameMode, Region, Vec3};
use event_core::catalog::Example;

event_core::domain! {
    /// Combat: sessions, attacks, damage, anti-cheat (hot path).
    ///
    /// An event without `key = ..` is keyed by its `session_id`, else its `player_id`.
    pub struct Combat {
        name: "combat",
        topic: "game.combat.events",
        partitions: 24,
        retention_days: 7,
        priority: High,
        key_fields: [session_id, player_id],
        producers: ["combat-service"],
        consumers: ["analytics", "anticheat", "scoreboard"],
        dead_letter_readers: ["operations"],
    }
}

const SESSION: Uuid = uuid!("5f1c2d9e-8a4b-4c3d-9e2f-1a7b6c5d4e3f");
const PLAYER_A: Uuid = uuid!("0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30");
const PLAYER_B: Uuid = uuid!("c47d1e0f-6b2a-4e9c-8d3f-5a1b7c9e2d64");

/// A match-maker opened a new combat session.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.session.start", version = "1.0.0", binary)]
pub struct CombatSessionStart {
    /// The new session.
    pub session_id: Uuid,
    /// Map identifier.
    #[event(min_length = 1, max_length = 64)]
    pub map_id: String,
    /// How the session is played.
    pub mode: GameMode,
    /// Server region hosting the session.
    pub region: Region,
    /// Player slots.
    #[event(minimum = 2, maximum = 128)]
    pub max_players: u16,
    /// Players placed in the session by the match-maker.
    #[event(max_items = 128, unique_items)]
    pub player_ids: Vec<Uuid>,
    /// Whether results count for ranking.
    pub ranked: bool,
    /// Free-form operator note.
    #[event(max_length = 256)]
    pub note: Option<String>,
}

impl Example for CombatSessionStart {
    fn example() -> Self {
        CombatSessionStart {
            session_id: SESSION,
            map_id: "dust_valley_v3".to_owned(),
            mode: GameMode::TeamDeathmatch,
            region: Region::EuWest,
            max_players: 16,
            player_ids: vec![PLAYER_A, PLAYER_B],
            ranked: true,
            note: None,
        }
    }
}

/// Why a combat session ended.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum SessionEndReason {
    /// A team or player reached the objective.
    ObjectiveReached,
    /// The time limit ran out.
    TimeLimit,
    /// Too few players remained.
    Abandoned,
    /// The server stopped the session.
    ServerShutdown,
}

/// The score of one team at the end of a session.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
pub struct TeamScore {
    /// Team number.
    #[event(maximum = 15)]
    pub team: u8,
    /// Points scored.
    pub score: u32,
}

/// A combat session ended.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.session.end", version = "1.0.0", binary)]
pub struct CombatSessionEnd {
    /// The session.
    pub session_id: Uuid,
    /// Why it ended.
    pub reason: SessionEndReason,
    /// How long it lasted, in milliseconds.
    #[event(maximum = 86400000)]
    pub duration_ms: u64,
    /// The winning team, if there was one.
    #[event(maximum = 15)]
    pub winning_team: Option<u8>,
    /// Final scores per team.
    #[event(max_items = 16)]
    pub scores: Vec<TeamScore>,
}

impl Example for CombatSessionEnd {
    fn example() -> Self {
        CombatSessionEnd {
            session_id: SESSION,
            reason: SessionEndReason::ObjectiveReached,
            duration_ms: 1_204_332,
            winning_team: Some(1),
            scores: vec![
                TeamScore { team: 0, score: 38 },
                TeamScore { team: 1, score: 50 },
            ],
        }
    }
}

/// A player joined a combat session.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.session.join", version = "1.0.0", binary)]
pub struct CombatSessionJoin {
    /// The session.
    pub session_id: Uuid,
    /// The player who joined.
    pub player_id: Uuid,
    /// The team the player was put on.
    #[event(maximum = 15)]
    pub team: u8,
    /// Whether the player joined a session already under way.
    pub late_join: bool,
}

impl Example for CombatSessionJoin {
    fn example() -> Self {
        CombatSessionJoin {
            session_id: SESSION,
            player_id: PLAYER_B,
            team: 1,
            late_join: false,
        }
    }
}

/// Why a player left a session.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum LeaveReason {
    /// The player quit.
    Quit,
    /// The connection was lost.
    Disconnected,
    /// Removed by a moderator or vote.
    Kicked,
    /// The session ended.
    SessionEnded,
}

/// A player left a combat session.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.session.leave", version = "1.0.0", binary)]
pub struct CombatSessionLeave {
    /// The session.
    pub session_id: Uuid,
    /// The player who left.
    pub player_id: Uuid,
    /// Why.
    pub reason: LeaveReason,
    /// Time the player spent in the session, in milliseconds.
    pub time_played_ms: u64,
}

impl Example for CombatSessionLeave {
    fn example() -> Self {
        CombatSessionLeave {
            session_id: SESSION,
            player_id: PLAYER_A,
            reason: LeaveReason::Disconnected,
            time_played_ms: 631_870,
        }
    }
}

/// A player fired or swung a weapon.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.player.attack", version = "1.0.0", binary)]
pub struct PlayerAttack {
    /// The session.
    pub session_id: Uuid,
    /// Who attacked.
    pub attacker_id: Uuid,
    /// Who was aimed at, if anyone.
    pub target_id: Option<Uuid>,
    /// Weapon identifier.
    #[event(min_length = 1, max_length = 32)]
    pub weapon_id: String,
    /// Where the attacker stood.
    pub origin: Vec3,
    /// Aim direction (unit vector).
    pub direction: Vec3,
    /// Server tick of the attack.
    pub tick: u32,
    /// Whether the attack hit.
    pub hit: bool,
}

impl Example for PlayerAttack {
    fn example() -> Self {
        PlayerAttack {
            session_id: SESSION,
            attacker_id: PLAYER_A,
            target_id: Some(PLAYER_B),
            weapon_id: "rifle_ak_mk2".to_owned(),
            origin: Vec3 {
                x: 112.5,
                y: 3.25,
                z: -48.0,
            },
            direction: Vec3 {
                x: 0.6,
                y: 0.0,
                z: 0.8,
            },
            tick: 48_211,
            hit: true,
        }
    }
}

/// How a player defended.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum DefenseAction {
    /// Blocked with a weapon or shield.
    Block,
    /// Dodged out of the way.
    Dodge,
    /// Parried a melee attack.
    Parry,
    /// Raised a deployable shield.
    Shield,
}

/// A player defended against an attack.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.player.defend", version = "1.0.0", binary)]
pub struct PlayerDefend {
    /// The session.
    pub session_id: Uuid,
    /// Who defended.
    pub defender_id: Uuid,
    /// Who attacked.
    pub attacker_id: Uuid,
    /// How.
    pub action: DefenseAction,
    /// Damage prevented.
    pub damage_mitigated: u32,
    /// Server tick of the defence.
    pub tick: u32,
    /// Whether the defence succeeded.
    pub success: bool,
}

impl Example for PlayerDefend {
    fn example() -> Self {
        PlayerDefend {
            session_id: SESSION,
            defender_id: PLAYER_B,
            attacker_id: PLAYER_A,
            action: DefenseAction::Dodge,
            damage_mitigated: 34,
            tick: 48_212,
            success: true,
        }
    }
}

/// A player used an ability.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.ability.used", version = "1.0.0", binary)]
pub struct AbilityUsed {
    /// The session.
    pub session_id: Uuid,
    /// Who used it.
    pub player_id: Uuid,
    /// Ability identifier.
    #[event(min_length = 1, max_length = 32)]
    pub ability_id: String,
    /// The target player, for targeted abilities.
    pub target_id: Option<Uuid>,
    /// Where the ability was aimed.
    pub position: Vec3,
    /// Cooldown started, in milliseconds.
    #[event(maximum = 600000)]
    pub cooldown_ms: u32,
    /// Energy spent.
    pub energy_cost: u16,
}

impl Example for AbilityUsed {
    fn example() -> Self {
        AbilityUsed {
            session_id: SESSION,
            player_id: PLAYER_A,
            ability_id: "smoke_grenade".to_owned(),
            target_id: None,
            position: Vec3 {
                x: 98.0,
                y: 0.5,
                z: -40.75,
            },
            cooldown_ms: 30_000,
            energy_cost: 40,
        }
    }
}

/// The server computed the damage of a hit (before it is applied).
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.damage.calculated", version = "1.0.0", binary)]
pub struct DamageCalculated {
    /// The session.
    pub session_id: Uuid,
    /// Who dealt the damage.
    pub attacker_id: Uuid,
    /// Who takes it.
    pub target_id: Uuid,
    /// Damage before modifiers.
    #[event(maximum = 100000)]
    pub base_damage: u32,
    /// Combined multiplier of armour, buffs and distance.
    #[event(minimum = 0.0, maximum = 10.0)]
    pub multiplier: f32,
    /// Kind of damage.
    pub damage_type: DamageType,
    /// Damage after modifiers.
    #[event(maximum = 1000000)]
    pub final_damage: u32,
    /// Whether the hit was critical.
    pub critical: bool,
}

impl Example for DamageCalculated {
    fn example() -> Self {
        DamageCalculated {
            session_id: SESSION,
            attacker_id: PLAYER_A,
            target_id: PLAYER_B,
            base_damage: 42,
            multiplier: 1.5,
            damage_type: DamageType::Kinetic,
            final_damage: 63,
            critical: true,
        }
    }
}

/// Damage was applied to a player's health.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.damage.applied", version = "1.0.0", binary)]
pub struct DamageApplied {
    /// The session.
    pub session_id: Uuid,
    /// Who took the damage.
    pub target_id: Uuid,
    /// Who dealt it, if a player did.
    pub source_id: Option<Uuid>,
    /// Damage applied.
    pub amount: u32,
    /// Kind of damage.
    pub damage_type: DamageType,
    /// Health before.
    #[event(maximum = 10000)]
    pub health_before: u32,
    /// Health after.
    #[event(maximum = 10000)]
    pub health_after: u32,
    /// Whether the damage killed the target.
    pub lethal: bool,
}

impl Example for DamageApplied {
    fn example() -> Self {
        DamageApplied {
            session_id: SESSION,
            target_id: PLAYER_B,
            source_id: Some(PLAYER_A),
            amount: 63,
            damage_type: DamageType::Kinetic,
            health_before: 100,
            health_after: 37,
            lethal: false,
        }
    }
}

/// What anti-cheat did about a flagged player.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum AntiCheatAction {
    /// Recorded for review only.
    Logged,
    /// Queued for a human review.
    ReviewQueued,
    /// Removed from the session.
    Kicked,
    /// Banned for a while.
    TemporaryBan,
}

/// Anti-cheat flagged suspicious behaviour.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.anticheat.flagged", version = "1.0.0", binary)]
pub struct AntiCheatFlagged {
    /// The session.
    pub session_id: Uuid,
    /// The suspect.
    pub player_id: Uuid,
    /// Detection rule that fired.
    #[event(min_length = 1, max_length = 64)]
    pub rule: String,
    /// Confidence of the detection, percent.
    #[event(maximum = 100)]
    pub confidence_percent: u8,
    /// What was done.
    pub action: AntiCheatAction,
    /// Short evidence notes (e.g. "snap angle 178deg in 1 tick").
    #[event(max_items = 8)]
    pub evidence: Vec<String>,
}

impl Example for AntiCheatFlagged {
    fn example() -> Self {
        AntiCheatFlagged {
            session_id: SESSION,
            player_id: PLAYER_A,
            rule: "aim.snap_angle".to_owned(),
            confidence_percent: 87,
            action: AntiCheatAction::ReviewQueued,
            evidence: vec![
                "snap 171deg in 1 tick".to_owned(),
                "12 headshots in 14 hits".to_owned(),
            ],
        }
    }
}

/// Anti-cheat cleared a previously flagged player.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.anticheat.cleared", version = "1.0.0", binary)]
pub struct AntiCheatCleared {
    /// The session of the original flag.
    pub session_id: Uuid,
    /// The player cleared.
    pub player_id: Uuid,
    /// Detection rule of the original flag.
    #[event(min_length = 1, max_length = 64)]
    pub rule: String,
    /// Reviewer who cleared the flag, if a human did.
    #[event(max_length = 64)]
    pub reviewer: Option<String>,
}

impl Example for AntiCheatCleared {
    fn example() -> Self {
        AntiCheatCleared {
            session_id: SESSION,
            player_id: PLAYER_A,
            rule: "aim.snap_angle".to_owned(),
            reviewer: Some("moderator.kim".to_owned()),
        }
    }
}

/// A player was eliminated.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("combat.player.eliminated", version = "1.0.0", binary)]
pub struct PlayerEliminated {
    /// The session.
    pub session_id: Uuid,
    /// Who was eliminated.
    pub victim_id: Uuid,
    /// Who got the elimination, if a player did.
    pub killer_id: Option<Uuid>,
    /// Weapon or ability that made the elimination.
    #[event(max_length = 32)]
    pub weapon_id: String,
    /// Distance between killer and victim, in metres.
    #[event(minimum = 0.0)]
    pub distance_m: f32,
    /// Whether it was a headshot.
    pub headshot: bool,
}

impl Example for PlayerEliminated {
    fn example() -> Self {
        PlayerEliminated {
            session_id: SESSION,
            victim_id: PLAYER_B,
            killer_id: Some(PLAYER_A),
            weapon_id: "rifle_ak_mk2".to_owned(),
            distance_m: 37.5,
            headshot: true,
        }
    }
}
