//! Schema generation: the whole catalog, per event, next to serialising the same documents
//! (the floor any generator pays to produce its output).

use criterion::{criterion_group, criterion_main, Criterion};

fn schema_generation(c: &mut Criterion) {
    let events = event_domains::catalog().events().to_vec();
    let mut group = c.benchmark_group("schema_generation");
    group.bench_function("json_schema() of the whole catalog", |b| {
        b.iter(|| {
            events
                .iter()
                .map(|event| (event.descriptor.json_schema)())
                .collect::<Vec<_>>()
        })
    });
    let documents: Vec<_> = events
        .iter()
        .map(|e| (e.descriptor.json_schema)())
        .collect();
    group.bench_function(
        "serde_json::to_vec of the same documents (peer floor)",
        |b| {
            b.iter(|| {
                documents
                    .iter()
                    .map(|d| serde_json::to_vec(d).map(|v| v.len()).unwrap_or(0))
                    .sum::<usize>()
            })
        },
    );
    group.finish();
}

criterion_group!(benches, schema_generation);
criterion_main!(benches);
