//! The catalog: the game's events by domain, as the dispatch enums consumers match on.
//!
//! The enums are the one list of the catalog's events: the tools walk them (see
//! [`catalog`](crate::catalog())) and a consumer of a domain's topics decodes into its enum.
//!
//! A cross-domain event (see [`player`](crate::player)) is listed by the enum of every domain
//! that acts on it, after the domain's own events: the enum's consumer then subscribes to the
//! event's topic too ([`DomainEvents::topics`](event_core::codec::DomainEvents::topics)).
//!
//! Each enum serialises (serde) as the envelope it holds, without a tag: the record's value
//! as serde_json writes it, unvalidated (the load bench's plain rdkafka + serde_json peer
//! sends them so).

use event_core::{DomainEvents, Envelope};
use serde::Serialize;

use crate::combat::*;
use crate::economy::*;
use crate::player::*;
use crate::social::*;
use crate::system::*;

/// Every event of the `combat` domain, as a consumer of its topic receives them: `decode`
/// dispatches on the record's `event_type` header (falling back to the body) and returns the
/// validated envelope, so a consumer writes one `match`.
#[derive(DomainEvents, Serialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum CombatEvent {
    /// [`CombatSessionStart`].
    CombatSessionStart(Envelope<CombatSessionStart>),
    /// [`CombatSessionEnd`].
    CombatSessionEnd(Envelope<CombatSessionEnd>),
    /// [`CombatSessionJoin`].
    CombatSessionJoin(Envelope<CombatSessionJoin>),
    /// [`CombatSessionLeave`].
    CombatSessionLeave(Envelope<CombatSessionLeave>),
    /// [`PlayerAttack`].
    PlayerAttack(Envelope<PlayerAttack>),
    /// [`PlayerDefend`].
    PlayerDefend(Envelope<PlayerDefend>),
    /// [`AbilityUsed`].
    AbilityUsed(Envelope<AbilityUsed>),
    /// [`DamageCalculated`].
    DamageCalculated(Envelope<DamageCalculated>),
    /// [`DamageApplied`].
    DamageApplied(Envelope<DamageApplied>),
    /// [`AntiCheatFlagged`].
    AntiCheatFlagged(Envelope<AntiCheatFlagged>),
    /// [`AntiCheatCleared`].
    AntiCheatCleared(Envelope<AntiCheatCleared>),
    /// [`PlayerEliminated`].
    PlayerEliminated(Envelope<PlayerEliminated>),
    /// [`PlayerBanned`], a cross-domain event on `game.player.events`: this domain enforces it.
    PlayerBanned(Envelope<PlayerBanned>),
}

/// Every event of the `economy` domain, as a consumer of its topic receives them: `decode`
/// dispatches on the record's `event_type` header (falling back to the body) and returns the
/// validated envelope, so a consumer writes one `match`.
#[derive(DomainEvents, Serialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum EconomyEvent {
    /// [`TradeExecuted`].
    TradeExecuted(Envelope<TradeExecuted>),
    /// [`ListingCreated`].
    ListingCreated(Envelope<ListingCreated>),
    /// [`ListingCancelled`].
    ListingCancelled(Envelope<ListingCancelled>),
    /// [`CurrencyTransacted`].
    CurrencyTransacted(Envelope<CurrencyTransacted>),
    /// [`AuctionBidPlaced`].
    AuctionBidPlaced(Envelope<AuctionBidPlaced>),
    /// [`AuctionClosed`].
    AuctionClosed(Envelope<AuctionClosed>),
    /// [`MarketPriceUpdated`].
    MarketPriceUpdated(Envelope<MarketPriceUpdated>),
    /// [`ItemCrafted`].
    ItemCrafted(Envelope<ItemCrafted>),
    /// [`PlayerBanned`], a cross-domain event on `game.player.events`: this domain enforces it.
    PlayerBanned(Envelope<PlayerBanned>),
}

/// Every event of the `social` domain, as a consumer of its topic receives them: `decode`
/// dispatches on the record's `event_type` header (falling back to the body) and returns the
/// validated envelope, so a consumer writes one `match`.
#[derive(DomainEvents, Serialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum SocialEvent {
    /// [`GuildJoined`].
    GuildJoined(Envelope<GuildJoined>),
    /// [`GuildLeft`].
    GuildLeft(Envelope<GuildLeft>),
    /// [`GuildCreated`].
    GuildCreated(Envelope<GuildCreated>),
    /// [`PartyFormed`].
    PartyFormed(Envelope<PartyFormed>),
    /// [`PartyDisbanded`].
    PartyDisbanded(Envelope<PartyDisbanded>),
    /// [`ChatMessageSent`].
    ChatMessageSent(Envelope<ChatMessageSent>),
    /// [`ReputationChanged`].
    ReputationChanged(Envelope<ReputationChanged>),
    /// [`FriendAdded`].
    FriendAdded(Envelope<FriendAdded>),
    /// [`PlayerBanned`], a cross-domain event on `game.player.events`: this domain enforces it.
    PlayerBanned(Envelope<PlayerBanned>),
}

/// Every event of the `system` domain, as a consumer of its topic receives them: `decode`
/// dispatches on the record's `event_type` header (falling back to the body) and returns the
/// validated envelope, so a consumer writes one `match`.
#[derive(DomainEvents, Serialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum SystemEvent {
    /// [`ServiceHealthReported`].
    ServiceHealthReported(Envelope<ServiceHealthReported>),
    /// [`InfrastructureMetricRecorded`].
    InfrastructureMetricRecorded(Envelope<InfrastructureMetricRecorded>),
    /// [`AuditRecorded`].
    AuditRecorded(Envelope<AuditRecorded>),
    /// [`PerformanceMetricsReported`].
    PerformanceMetricsReported(Envelope<PerformanceMetricsReported>),
    /// [`DeploymentCompleted`].
    DeploymentCompleted(Envelope<DeploymentCompleted>),
    /// [`EventsRead`].
    EventsRead(Envelope<EventsRead>),
}

/// Every event of the `player` domain, as a service that owns player accounts receives them.
#[derive(DomainEvents, Serialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum PlayerEvent {
    /// [`PlayerBanned`].
    PlayerBanned(Envelope<PlayerBanned>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use event_core::codec::DomainEvents;

    /// Each enum's serde form is the envelope it holds: the record's value, byte for byte.
    fn serialises_as_its_record_value<E: DomainEvents + Serialize>() {
        for event in E::examples() {
            let record = event.to_record().expect("a valid example");
            let plain = serde_json::to_vec(&event).expect("serialises");
            assert_eq!(plain, record.value, "{}", event.event_type());
        }
    }

    #[test]
    fn every_domain_enum_serialises_as_its_envelope() {
        serialises_as_its_record_value::<CombatEvent>();
        serialises_as_its_record_value::<EconomyEvent>();
        serialises_as_its_record_value::<PlayerEvent>();
        serialises_as_its_record_value::<SocialEvent>();
        serialises_as_its_record_value::<SystemEvent>();
    }
}
