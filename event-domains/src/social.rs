//! Social: guilds, parties, chat and reputation.

use event_core::personal::Personal;
use event_core::{EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};
use uuid::{uuid, Uuid};

use crate::shared::Region;
use event_core::catalog::Example;

event_core::domain! {
    /// Social: guilds, parties, chat, reputation.
    ///
    /// An event without `key = ..` is keyed by its `session_id`, else its `player_id`.
    pub struct Social {
        name: "social",
        topic: "game.social.events",
        partitions: 8,
        retention_days: 30,
        priority: Normal,
        key_fields: [session_id, player_id],
        producers: ["social-service"],
        consumers: ["analytics", "moderation"],
        dead_letter_readers: ["operations"],
    }
}

const GUILD: Uuid = uuid!("9c3e5a71-4b2d-4e8f-a1c6-3d7b9e5f2a48");
const PARTY: Uuid = uuid!("2f7b9d13-6a4c-4e1b-8d9f-4c2a6e8b1d57");
const PLAYER_A: Uuid = uuid!("0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30");
const PLAYER_B: Uuid = uuid!("c47d1e0f-6b2a-4e9c-8d3f-5a1b7c9e2d64");
const PLAYER_C: Uuid = uuid!("7e5a3c91-8d2b-4f6e-b4a1-1c9e7d3f5b82");

/// Rank of a guild member.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum GuildRank {
    /// Founder or successor; one per guild.
    Leader,
    /// Can invite and kick.
    Officer,
    /// Full member.
    Member,
    /// On probation.
    Recruit,
}

/// A player joined a guild.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("social.guild.joined", version = "1.0.0", binary)]
pub struct GuildJoined {
    /// The guild.
    pub guild_id: Uuid,
    /// The new member.
    pub player_id: Uuid,
    /// Rank on joining.
    pub rank: GuildRank,
    /// Who invited the player, if anyone.
    pub invited_by: Option<Uuid>,
}

impl Example for GuildJoined {
    fn example() -> Self {
        GuildJoined {
            guild_id: GUILD,
            player_id: PLAYER_B,
            rank: GuildRank::Recruit,
            invited_by: Some(PLAYER_A),
        }
    }
}

/// Why a member left a guild.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum GuildLeaveReason {
    /// The member left.
    Left,
    /// An officer removed the member.
    Kicked,
    /// The guild was disbanded.
    Disbanded,
}

/// A player left a guild.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("social.guild.left", version = "1.0.0", binary)]
pub struct GuildLeft {
    /// The guild.
    pub guild_id: Uuid,
    /// The former member.
    pub player_id: Uuid,
    /// Why.
    pub reason: GuildLeaveReason,
}

impl Example for GuildLeft {
    fn example() -> Self {
        GuildLeft {
            guild_id: GUILD,
            player_id: PLAYER_C,
            reason: GuildLeaveReason::Kicked,
        }
    }
}

/// A player founded a guild.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("social.guild.created", version = "1.0.0", binary)]
pub struct GuildCreated {
    /// The new guild.
    pub guild_id: Uuid,
    /// Who founded it.
    pub founder_id: Uuid,
    /// Display name.
    #[event(min_length = 3, max_length = 32)]
    pub name: String,
    /// Short tag shown next to member names.
    #[event(pattern = "^[A-Z0-9]{2,5}$")]
    pub tag: String,
    /// Home region.
    pub region: Region,
}

impl Example for GuildCreated {
    fn example() -> Self {
        GuildCreated {
            guild_id: GUILD,
            founder_id: PLAYER_A,
            name: "Night Owls".to_owned(),
            tag: "NOWL".to_owned(),
            region: Region::EuNorth,
        }
    }
}

/// Players formed a party.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("social.party.formed", version = "1.0.0", binary)]
pub struct PartyFormed {
    /// The party.
    pub party_id: Uuid,
    /// Who leads it.
    pub leader_id: Uuid,
    /// All members, leader included.
    #[event(min_items = 1, max_items = 8, unique_items)]
    pub member_ids: Vec<Uuid>,
}

impl Example for PartyFormed {
    fn example() -> Self {
        PartyFormed {
            party_id: PARTY,
            leader_id: PLAYER_A,
            member_ids: vec![PLAYER_A, PLAYER_B, PLAYER_C],
        }
    }
}

/// Why a party ended.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(rename_all = "snake_case")]
pub enum PartyDisbandReason {
    /// The leader disbanded it.
    LeaderDisbanded,
    /// Every member left.
    AllLeft,
    /// No activity for too long.
    Inactive,
}

/// A party was disbanded.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("social.party.disbanded", version = "1.0.0", binary)]
pub struct PartyDisbanded {
    /// The party.
    pub party_id: Uuid,
    /// Why.
    pub reason: PartyDisbandReason,
    /// How long the party existed, in seconds.
    pub lifetime_s: u32,
}

impl Example for PartyDisbanded {
    fn example() -> Self {
        PartyDisbanded {
            party_id: PARTY,
            reason: PartyDisbandReason::LeaderDisbanded,
            lifetime_s: 5_430,
        }
    }
}

/// Where a chat message was sent.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[event(binary)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChatChannel {
    /// Everyone in the region.
    Global,
    /// The sender's guild.
    Guild {
        /// The guild.
        guild_id: Uuid,
    },
    /// The sender's party.
    Party {
        /// The party.
        party_id: Uuid,
    },
    /// One recipient.
    Whisper {
        /// The recipient.
        recipient_id: Uuid,
    },
}

/// What moderation did with a chat message before it was delivered.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[event(binary)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ModerationResult {
    /// Delivered unchanged.
    Clean,
    /// Delivered with words masked.
    Masked {
        /// Words replaced by asterisks.
        masked_words: u16,
    },
    /// Withheld for review.
    Withheld {
        /// Category of the violation, e.g. `harassment`.
        #[event(max_length = 32)]
        category: String,
    },
}

/// A chat message passed the filter and was sent.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("social.chat.message_sent", version = "1.1.0", data_subject = sender_id, binary)]
pub struct ChatMessageSent {
    /// The message.
    pub message_id: Uuid,
    /// Who sent it.
    pub sender_id: Uuid,
    /// Where it was sent.
    pub channel: ChatChannel,
    /// The text after filtering: personal data, encrypted with the sender's key.
    #[event(pii, min_length = 1, max_length = 500)]
    pub text: Personal,
    /// The filter's decision.
    pub moderation: ModerationResult,
}

impl Example for ChatMessageSent {
    fn example() -> Self {
        ChatMessageSent {
            message_id: uuid!("a8d4f2b6-5c1e-4a9d-b7e3-6f2c8a4d1e95"),
            sender_id: PLAYER_A,
            channel: ChatChannel::Guild { guild_id: GUILD },
            text: "gg, raid at 21:00 — bring ***** potions".into(),
            moderation: ModerationResult::Masked { masked_words: 1 },
        }
    }
}

/// A player's reputation changed.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("social.reputation.changed", version = "1.0.0", binary)]
pub struct ReputationChanged {
    /// Whose reputation changed.
    pub player_id: Uuid,
    /// Change.
    #[event(minimum = -1000, maximum = 1000)]
    pub delta: i32,
    /// Reputation after the change.
    #[event(minimum = -100000, maximum = 100000)]
    pub reputation_after: i32,
    /// Why, e.g. `commended`, `reported_confirmed`.
    #[event(min_length = 1, max_length = 64)]
    pub reason: String,
    /// The player who caused the change, if one did.
    pub source_player_id: Option<Uuid>,
}

impl Example for ReputationChanged {
    fn example() -> Self {
        ReputationChanged {
            player_id: PLAYER_B,
            delta: 5,
            reputation_after: 1_245,
            reason: "commended".to_owned(),
            source_player_id: Some(PLAYER_A),
        }
    }
}

/// Two players became friends.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("social.friend.added", version = "1.0.0", binary)]
pub struct FriendAdded {
    /// Who sent the request.
    pub requester_id: Uuid,
    /// Who accepted it.
    pub accepter_id: Uuid,
}

impl Example for FriendAdded {
    fn example() -> Self {
        FriendAdded {
            requester_id: PLAYER_C,
            accepter_id: PLAYER_A,
        }
    }
}
