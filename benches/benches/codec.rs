//! JSON encode and validated decode of three catalog events, each next to its peers in the
//! same run: a plain serde twin (no validation), and `serde_json::Value` + the `jsonschema`
//! crate (validator compiled once) + typed decode.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use event_core::Envelope;
use event_domains::combat::{CombatSessionStart, PlayerAttack};
use event_domains::system::AuditRecorded;
use kafka_events_benches::{Fixture, PlainAttack, PlainAudit, PlainEnvelope, PlainSessionStart};
use serde::de::DeserializeOwned;
use serde::Serialize;

fn event_group<E, P>(c: &mut Criterion, name: &str)
where
    E: event_core::catalog::Example,
    P: Serialize + DeserializeOwned,
{
    let Fixture {
        bytes,
        envelope,
        plain,
        validator,
    } = Fixture::<E, P>::new();

    let mut group = c.benchmark_group(format!("json/{name}"));
    group.bench_function(BenchmarkId::new("encode", "plain serde twin"), |b| {
        b.iter(|| serde_json::to_vec(black_box(&plain)))
    });
    group.bench_function(BenchmarkId::new("encode", "validated to_json"), |b| {
        b.iter(|| black_box(&envelope).to_json())
    });
    group.bench_function(
        BenchmarkId::new("decode", "plain serde twin from_slice"),
        |b| b.iter(|| serde_json::from_slice::<PlainEnvelope<P>>(black_box(&bytes))),
    );
    group.bench_function(BenchmarkId::new("decode", "validated from_json"), |b| {
        b.iter(|| Envelope::<E>::from_json(black_box(&bytes)))
    });
    group.bench_function(
        BenchmarkId::new("decode", "Value + jsonschema + typed"),
        |b| {
            b.iter(|| {
                let value: serde_json::Value =
                    serde_json::from_slice(black_box(&bytes)).expect("json");
                assert!(validator.is_valid(&value));
                serde_json::from_value::<Envelope<E>>(value)
            })
        },
    );
    group.finish();
}

fn codec(c: &mut Criterion) {
    event_group::<PlayerAttack, PlainAttack>(c, "combat.player.attack");
    event_group::<CombatSessionStart, PlainSessionStart>(c, "combat.session.start");
    event_group::<AuditRecorded, PlainAudit>(c, "system.audit.recorded");
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500)).sample_size(30);
    targets = codec
}
criterion_main!(benches);
