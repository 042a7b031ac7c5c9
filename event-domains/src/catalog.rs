//! The catalog: the game's events by domain, as the dispatch enums consumers match on.
//!
//! The enums are the one list of the catalog's events: the tools walk them (see
//! [`catalog`](crate::catalog())) and a consumer of a domain's topics decodes into its enum.
//!
//! A cross-domain event (see [`player`](crate::player)) is listed by the enum of every domain
//! that acts on it, after the domain's own events: the enum's consumer then subscribes to the
//! event's topic too ([`DomainEvents::topics`]).
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

/// Every event of the game, for a service that reads all of its domains with one consumer
/// (one librdkafka instance and one group member instead of one per domain): each variant
/// holds a domain's enum, so a handler matches the domain, then the event. A cross-domain
/// event (listed by several domains) is decoded into the first domain that lists it:
/// `Combat`. Not a domain of the catalog: the tools walk the domain enums themselves.
#[derive(DomainEvents, Serialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum GameEvent {
    /// The `combat` domain's events (and the player events it acts on).
    #[domain]
    Combat(CombatEvent),
    /// The `economy` domain's events.
    #[domain]
    Economy(EconomyEvent),
    /// The `social` domain's events.
    #[domain]
    Social(SocialEvent),
    /// The `system` domain's events.
    #[domain]
    System(SystemEvent),
    /// The `player` domain's events.
    #[domain]
    Player(PlayerEvent),
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
        serialises_as_its_record_value::<GameEvent>();
    }

    /// The distinct names of `lists`, first occurrence kept.
    fn distinct(lists: &[&[&'static str]]) -> Vec<&'static str> {
        let mut names = Vec::new();
        for name in lists.iter().flat_map(|list| list.iter()) {
            if !names.contains(name) {
                names.push(*name);
            }
        }
        names
    }

    #[test]
    fn the_game_enum_holds_every_event_of_every_domain_once() {
        let expected = distinct(&[
            CombatEvent::EVENT_TYPES,
            EconomyEvent::EVENT_TYPES,
            SocialEvent::EVENT_TYPES,
            SystemEvent::EVENT_TYPES,
            PlayerEvent::EVENT_TYPES,
        ]);
        assert!(
            expected.len()
                < CombatEvent::EVENT_TYPES.len()
                    + EconomyEvent::EVENT_TYPES.len()
                    + SocialEvent::EVENT_TYPES.len()
                    + SystemEvent::EVENT_TYPES.len()
                    + PlayerEvent::EVENT_TYPES.len(),
            "the domains share the player events"
        );
        assert_eq!(GameEvent::EVENT_TYPES, expected.as_slice());
        assert_eq!(GameEvent::DOMAIN, "combat");

        struct Names(Vec<&'static str>);
        impl event_core::catalog::EventVisitor for Names {
            fn visit<E: event_core::catalog::Example>(&mut self) {
                self.0.push(E::EVENT_TYPE);
            }
        }
        let mut visited = Names(Vec::new());
        GameEvent::visit_events(&mut visited);
        assert_eq!(visited.0, expected, "each event visited once, in order");
        let examples: Vec<&str> = GameEvent::examples()
            .iter()
            .map(|event| event.event_type())
            .collect();
        assert_eq!(examples, expected);

        let mut topics: Vec<&str> = [
            CombatEvent::topics(),
            EconomyEvent::topics(),
            SocialEvent::topics(),
            SystemEvent::topics(),
            PlayerEvent::topics(),
        ]
        .concat();
        topics.sort_unstable();
        topics.dedup();
        assert_eq!(GameEvent::topics(), topics);
    }

    #[test]
    fn the_game_enum_decodes_each_record_into_its_domain() {
        for event in GameEvent::examples() {
            let record = event.to_record().expect("a valid example");
            assert_eq!(GameEvent::decode_record(&record).as_ref(), Ok(&event));
            let without_header =
                GameEvent::decode(None, &record.value).expect("the body names the event");
            assert_eq!(without_header, event);
        }
        let attack = CombatEvent::examples().remove(0);
        let record = attack.to_record().expect("valid");
        assert_eq!(
            GameEvent::decode_record(&record),
            Ok(GameEvent::Combat(attack))
        );
        // A player event lands in the first domain that lists it.
        let banned = PlayerEvent::examples().remove(0);
        let record = banned.to_record().expect("valid");
        assert!(matches!(
            GameEvent::decode_record(&record),
            Ok(GameEvent::Combat(CombatEvent::PlayerBanned(_)))
        ));
        let unknown = GameEvent::decode(Some(b"combat.nothing.happened"), &record.value);
        assert_eq!(
            unknown.map_err(|error| error.kind()),
            Err("unknown_event_type")
        );
        let id = uuid::Uuid::from_u128(42);
        let moved = GameEvent::examples().remove(0).with_event_id(id);
        assert_eq!(moved.event_id(), id);
    }
}
