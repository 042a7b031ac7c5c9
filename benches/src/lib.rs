//! Peers for the benchmarks: plain `#[derive(Serialize, Deserialize)]` twins of catalog
//! events and of the envelope, with no validation, so every figure can be set next to what
//! plain serde costs for the same bytes.

use chrono::{DateTime, Utc};
use event_core::catalog::{example_envelope, Example};
use event_domains::combat::{CombatSessionStart, PlayerAttack};
use event_domains::shared::{GameMode, Region, Vec3};
use event_domains::system::{AuditAction, AuditRecorded, LegalBasis};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The envelope as plain serde sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PlainEnvelope<T> {
    pub event_id: Uuid,
    pub event_type: String,
    pub timestamp: DateTime<Utc>,
    pub version: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player_id: Option<Uuid>,
    pub data: T,
    pub metadata: PlainMetadata,
}

/// The envelope's metadata as plain serde sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PlainMetadata {
    pub priority: String,
    pub ttl: String,
    pub retry_count: u32,
}

/// Twin of `combat.player.attack` (the small event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PlainAttack {
    pub session_id: Uuid,
    pub attacker_id: Uuid,
    pub target_id: Option<Uuid>,
    pub weapon_id: String,
    pub origin: Vec3,
    pub direction: Vec3,
    pub tick: u32,
    pub hit: bool,
}

/// Twin of `combat.session.start` (the typical event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PlainSessionStart {
    pub session_id: Uuid,
    pub map_id: String,
    pub mode: GameMode,
    pub region: Region,
    pub max_players: u16,
    pub player_ids: Vec<Uuid>,
    pub ranked: bool,
    pub note: Option<String>,
}

/// Twin of `system.audit.recorded` (the largest example of the catalog).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PlainAudit {
    pub audit_id: Uuid,
    pub actor_id: Uuid,
    pub actor_role: String,
    pub action: AuditAction,
    pub resource: String,
    pub subject_player_id: Option<Uuid>,
    pub legal_basis: LegalBasis,
    pub justification: Option<String>,
    pub client_ip: Option<String>,
    pub granted: bool,
}

/// One event prepared for the benchmarks: its example's bytes, the decoded envelope, the plain
/// twin `P` decoded from the same bytes, and a `jsonschema` validator compiled once.
pub struct Fixture<E, P> {
    /// The example envelope as JSON.
    pub bytes: Vec<u8>,
    /// The example, decoded and validated.
    pub envelope: event_core::Envelope<E>,
    /// The same bytes decoded into the plain twin.
    pub plain: PlainEnvelope<P>,
    /// The event's schema, compiled.
    pub validator: jsonschema::Validator,
}

impl<E: Example, P: serde::de::DeserializeOwned> Fixture<E, P> {
    /// The fixture of `E` and its twin `P`.
    ///
    /// # Panics
    /// If the example does not decode, which the catalog's tests rule out.
    pub fn new() -> Self {
        let bytes = example_bytes::<E>();
        let envelope = event_core::Envelope::<E>::from_json(&bytes).expect("a valid example");
        let plain = serde_json::from_slice(&bytes).expect("the twin reads the same bytes");
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&E::json_schema())
            .expect("the schema compiles");
        Fixture {
            bytes,
            envelope,
            plain,
            validator,
        }
    }
}

impl<E: Example, P: serde::de::DeserializeOwned> Default for Fixture<E, P> {
    fn default() -> Self {
        Self::new()
    }
}

/// The JSON bytes of an example envelope of `E`.
pub fn example_bytes<E: Example>() -> Vec<u8> {
    serde_json::to_vec(&example_envelope(E::example())).unwrap_or_default()
}

/// The three events of the benchmarks: (name, bytes).
pub fn bench_events() -> [(&'static str, Vec<u8>); 3] {
    [
        (
            "combat.player.attack (small)",
            example_bytes::<PlayerAttack>(),
        ),
        (
            "combat.session.start (typical)",
            example_bytes::<CombatSessionStart>(),
        ),
        (
            "system.audit.recorded (largest)",
            example_bytes::<AuditRecorded>(),
        ),
    ]
}
