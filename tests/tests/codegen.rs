//! Generated Go, TypeScript and AsyncAPI: deterministic, marked as generated, fields in
//! layout order, every event present. (`.ci/check_generated.sh` runs the real toolchains:
//! go vet, go test, tsc --strict, the AsyncAPI schema.)

use event_domains::catalog;
use event_domains::codegen::{generate, Language, GENERATED_HEADER};
use serde_json::Value;

fn sources() -> Vec<(String, String)> {
    let (sources, _) = generate(&catalog::events(), &Language::ALL);
    sources
        .into_iter()
        .map(|s| (s.path.display().to_string(), s.text))
        .collect()
}

fn source(path: &str) -> String {
    sources()
        .into_iter()
        .find(|(p, _)| p == path)
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("{path}"))
}

#[test]
fn generation_is_deterministic_and_marked() {
    let first = sources();
    assert_eq!(first, sources());
    let marker = GENERATED_HEADER
        .split(" ({file})")
        .next()
        .unwrap_or_default();
    for (path, text) in &first {
        if path.ends_with(".go") || path.ends_with(".ts") {
            assert!(text.starts_with(marker), "{path}");
            assert!(text.contains("cargo run --bin export-schemas"), "{path}");
        }
    }
    let (_, json) = generate(&catalog::events(), &[Language::AsyncApi]);
    assert!(json[0].contents["info"]["description"]
        .as_str()
        .unwrap_or_default()
        .contains("do not edit"));
}

#[test]
fn go_structs_follow_layout_order_with_tags_and_enums() {
    let go = source("go/events.go");
    let start = go.find("type CombatSessionStart struct {").expect("struct");
    let body = &go[start..start + go[start..].find("\n}\n").expect("end")];
    let position = |field: &str| {
        body.find(field)
            .unwrap_or_else(|| panic!("{field} in\n{body}"))
    };
    // strings first, then the count (2..=128 fits a uint8), the boolean last
    assert!(position("MapID string `json:\"map_id\"`") < position("MaxPlayers uint8"));
    assert!(position("MaxPlayers uint8") < position("Ranked bool"));
    assert!(body.contains("Note *string `json:\"note,omitempty\"`"));
    assert!(body.contains("PlayerIds []string `json:\"player_ids\"`"));
    assert!(go.contains("type GameMode string"));
    assert!(go.contains("func (v GameMode) Valid() bool"));
    assert!(go.contains("type Envelope[T any] struct"));
    assert!(go.contains("Timestamp time.Time `json:\"timestamp\"`"));
    for event in catalog::events() {
        assert!(
            go.contains(&format!("\"{}\":", event.event_type())),
            "{}",
            event.event_type()
        );
    }
}

#[test]
fn typescript_has_a_discriminated_union_of_every_event() {
    let ts = source("typescript/kafka-events.ts");
    assert!(ts.contains("export interface Envelope<T> {"));
    assert!(ts.contains("export type GameMode = \"deathmatch\" | \"team_deathmatch\" | \"capture_the_flag\" | \"battle_royale\";"));
    assert!(ts.contains("export interface CombatSessionStartEvent extends Envelope<CombatSessionStart> {\n  event_type: \"combat.session.start\";"));
    assert!(ts.contains("@maxLength 64"));
    let union_start = ts.find("export type KafkaEvent =").expect("union");
    assert_eq!(
        ts[union_start..].matches("\n  | ").count(),
        catalog::events().len()
    );
    let test = source("typescript/examples.test.ts");
    assert!(test.contains("switch (e.event_type)"));
    assert_eq!(test.matches("case \"").count(), catalog::events().len());
}

#[test]
fn asyncapi_has_a_channel_per_topic_with_kafka_bindings() {
    let (_, json) = generate(&catalog::events(), &[Language::AsyncApi]);
    let document = &json[0].contents;
    assert_eq!(document["asyncapi"], "3.0.0");
    let channels = document["channels"].as_object().expect("channels");
    assert_eq!(channels.len(), 4);
    let combat = &channels["game.combat.events"];
    assert_eq!(combat["address"], "game.combat.events");
    assert_eq!(combat["bindings"]["kafka"]["partitions"], 24);
    assert_eq!(
        combat["bindings"]["kafka"]["topicConfiguration"]["retention.ms"],
        604_800_000u64
    );
    assert_eq!(combat["messages"].as_object().map(|m| m.len()), Some(12));
    let message = &document["components"]["messages"]["combat.session.start"];
    assert_eq!(
        message["payload"]["schemaFormat"],
        "application/schema+json;version=draft-07"
    );
    assert_eq!(
        message["payload"]["schema"]["properties"]["data"]["$ref"],
        "#/components/schemas/CombatSessionStart"
    );
    assert!(document["components"]["schemas"]["CombatSessionStart"].is_object());
    assert!(message["headers"]["properties"]["event_type"].is_object());
    let actions: Vec<&Value> = document["operations"]
        .as_object()
        .expect("ops")
        .values()
        .map(|o| &o["action"])
        .collect();
    assert_eq!(actions.iter().filter(|a| **a == "send").count(), 4);
    assert_eq!(actions.iter().filter(|a| **a == "receive").count(), 4);
}
