//! The codec table of `cargo bench --bench latency`: every event of the catalog, side by side
//! in one run, against plain serde_json on the same type (`Envelope<E>` without validation) and
//! against `Value` + `jsonschema` + typed; allocations per decode counted by the bench's global
//! allocator; and the minimum ratio over all events next to each goal of the issue.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use event_core::catalog::{example_envelope, EventVisitor, Example};
use event_core::codec::{DecodeOptions, DomainEvents};
use event_core::validate::Validate;
use event_core::Envelope;
use event_domains::{CombatEvent, EconomyEvent, PlayerEvent, SocialEvent, SystemEvent};

thread_local! {
    /// Allocations made by this thread since it was last reset.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

/// The system allocator, counting each thread's allocations.
pub struct Counting;

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is a
// thread-local `Cell` without destructor, so counting allocates nothing.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller's contract for `alloc` is the system allocator's.
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above, i.e. by the system allocator.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: as for `alloc` and `dealloc`.
        unsafe { std::alloc::System.realloc(ptr, layout, size) }
    }
}

/// Allocations `run` makes on this thread, per call (over 100 calls).
fn allocations(mut run: impl FnMut()) -> f64 {
    let before = ALLOCATIONS.with(Cell::get);
    for _ in 0..100 {
        run();
    }
    (ALLOCATIONS.with(Cell::get) - before) as f64 / 100.0
}

/// Median time per call of each of `runs`, measured in 9 rounds that take turns (a batch of
/// each per round, about 8 ms a batch), so that a slow moment of the machine weighs on all of
/// them alike.
fn interleaved<const N: usize>(runs: [&mut dyn FnMut(); N]) -> [Duration; N] {
    let mut runs = runs;
    let sizes: Vec<u32> = runs
        .iter_mut()
        .map(|run| {
            let start = Instant::now();
            let mut calls = 0u32;
            while start.elapsed() < Duration::from_millis(4) {
                run();
                calls += 1;
            }
            (calls * 2).max(5)
        })
        .collect();
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); N];
    for _ in 0..9 {
        for (i, run) in runs.iter_mut().enumerate() {
            let start = Instant::now();
            for _ in 0..sizes[i] {
                run();
            }
            samples[i].push(start.elapsed() / sizes[i]);
        }
    }
    std::array::from_fn(|i| {
        samples[i].sort();
        samples[i][4]
    })
}

/// One event's figures.
struct Row {
    event_type: &'static str,
    bytes: usize,
    plain_encode: Duration,
    encode: Duration,
    plain_decode: Duration,
    decode: Duration,
    value_decode: Duration,
    read: Duration,
    validate: Duration,
    plain_allocations: f64,
    allocations: f64,
    binary_bytes: usize,
    binary_decode: Duration,
}

impl Row {
    fn measure<E: Example>() -> Row {
        let envelope = example_envelope(E::example());
        let bytes = envelope.to_json().expect("a valid example");
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&E::json_schema())
            .expect("the schema compiles");
        let binary = E::binary_value(&envelope)
            .expect("every event of the game's catalog has a binary form")
            .expect("a valid example");
        let options = DecodeOptions::default();
        let [plain_encode, encode] = interleaved([
            &mut || {
                black_box(serde_json::to_vec(black_box(&envelope)).ok());
            },
            &mut || {
                black_box(black_box(&envelope).to_json().ok());
            },
        ]);
        // The fast reader takes every example on: the figures are not serde_json's fallback.
        assert_eq!(
            event_core::json::read_fast::<Envelope<E>>(&bytes)
                .ok()
                .as_ref(),
            Some(&envelope),
            "{}",
            E::EVENT_TYPE
        );
        let [plain_decode, decode, value_decode, read, validate] = interleaved([
            &mut || {
                black_box(serde_json::from_slice::<Envelope<E>>(black_box(&bytes)).ok());
            },
            &mut || {
                black_box(Envelope::<E>::from_json(black_box(&bytes)).ok());
            },
            &mut || {
                let value: serde_json::Value =
                    serde_json::from_slice(black_box(&bytes)).unwrap_or_default();
                black_box(validator.is_valid(&value));
                black_box(serde_json::from_value::<Envelope<E>>(value).ok());
            },
            &mut || {
                black_box(event_core::json::read_fast::<Envelope<E>>(black_box(&bytes)).ok());
            },
            &mut || {
                black_box(black_box(&envelope).validate().is_ok());
            },
        ]);
        let [binary_decode] = interleaved([&mut || {
            black_box(E::from_binary_value(black_box(&binary), &options).map(Result::ok));
        }]);
        Row {
            event_type: E::EVENT_TYPE,
            bytes: bytes.len(),
            plain_encode,
            encode,
            plain_decode,
            decode,
            value_decode,
            read,
            validate,
            plain_allocations: allocations(|| {
                black_box(serde_json::from_slice::<Envelope<E>>(black_box(&bytes)).ok());
            }),
            allocations: allocations(|| {
                black_box(Envelope::<E>::from_json(black_box(&bytes)).ok());
            }),
            binary_bytes: binary.len(),
            binary_decode,
        }
    }
}

/// Measures each event once (a cross-domain event is listed by several enums).
struct Measure {
    seen: BTreeSet<&'static str>,
    rows: Vec<Row>,
}

impl EventVisitor for Measure {
    fn visit<E: Example>(&mut self) {
        if self.seen.insert(E::EVENT_TYPE) {
            self.rows.push(Row::measure::<E>());
        }
    }
}

fn ns(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1e9)
}

fn ratio(peer: Duration, ours: Duration) -> f64 {
    peer.as_secs_f64() / ours.as_secs_f64()
}

/// How one ratio is read from a row.
type Ratio = fn(&Row) -> f64;

/// A goal: what is compared, the least ratio it asks for, and how the ratio is read.
type Goal = (&'static str, f64, Ratio);

/// Prints the table, one row per event, then the minimum of each ratio next to its goal.
pub fn print() {
    let mut measure = Measure {
        seen: BTreeSet::new(),
        rows: Vec::new(),
    };
    CombatEvent::visit_events(&mut measure);
    EconomyEvent::visit_events(&mut measure);
    SocialEvent::visit_events(&mut measure);
    SystemEvent::visit_events(&mut measure);
    PlayerEvent::visit_events(&mut measure);
    let mut rows = measure.rows;
    rows.sort_by_key(|row| row.event_type);
    println!(
        "Every event, ns per call (ratio = plain ÷ ours; ≥ 1 means ours is at least as fast):"
    );
    println!();
    println!("| event | JSON B | encode plain / ours (×) | decode plain / ours (×) | Value + jsonschema + typed (× ours) | of which read / validate | allocations per decode plain / ours | binary B, validated binary decode ns |");
    println!("|---|---:|---|---|---|---|---|---|");
    for row in &rows {
        println!(
            "| {} | {} | {} / {} ({:.2}×) | {} / {} ({:.2}×) | {} ({:.2}×) | {} / {} | {:.0} / {:.0} | {} B, {} |",
            row.event_type,
            row.bytes,
            ns(row.plain_encode),
            ns(row.encode),
            ratio(row.plain_encode, row.encode),
            ns(row.plain_decode),
            ns(row.decode),
            ratio(row.plain_decode, row.decode),
            ns(row.value_decode),
            ratio(row.value_decode, row.decode),
            ns(row.read),
            ns(row.validate),
            row.plain_allocations,
            row.allocations,
            row.binary_bytes,
            ns(row.binary_decode),
        );
    }
    let minimum = |f: &Ratio| {
        rows.iter()
            .map(|row| (f(row), row.event_type))
            .fold((f64::INFINITY, ""), |a, b| if b.0 < a.0 { b } else { a })
    };
    println!();
    println!(
        "| goal (minimum over all {} events) | target | measured | event |",
        rows.len()
    );
    println!("|---|---|---|---|");
    let goals: [Goal; 3] = [
        (
            "validated decode vs plain serde_json::from_slice",
            1.5,
            |r| ratio(r.plain_decode, r.decode),
        ),
        ("validated encode vs plain serde_json::to_vec", 1.2, |r| {
            ratio(r.plain_encode, r.encode)
        }),
        ("validated decode vs Value + jsonschema + typed", 5.0, |r| {
            ratio(r.value_decode, r.decode)
        }),
    ];
    for (goal, target, f) in &goals {
        let (value, event) = minimum(f);
        let met = if value >= *target { "met" } else { "not met" };
        println!("| {goal} | ≥ {target}× | {value:.2}× ({met}) | {event} |");
    }
}
