//! The test broker harness itself: a broker never outlives the process that started it.

use std::path::Path;
use std::time::{Duration, Instant};

use kafka_events_tests::broker::Broker;
use kafka_events_tests::child;

/// Set for the child process of [`a_broker_dies_with_the_process_that_started_it`].
const CHILD_ENV: &str = "KAFKA_EVENTS_HARNESS_CHILD";
/// What the child prints once its broker runs, before the broker's pid.
const CHILD_READY: &str = "broker-pid:";

/// Not a test of its own: the child process of
/// [`a_broker_dies_with_the_process_that_started_it`]. It starts a broker, says its pid and
/// waits to be killed.
#[test]
#[ignore = "run in a child process by a_broker_dies_with_the_process_that_started_it"]
fn child_with_a_running_broker() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let broker = Broker::start().unwrap_or_else(|error| panic!("{error}"));
    let pid = broker.pid().expect("running");
    child::report(CHILD_READY, &pid.to_string());
    std::thread::sleep(Duration::from_secs(300));
}

/// Whether `pid` is a live process (not gone, not a zombie waiting to be reaped).
fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start());
            !matches!(state.and_then(|rest| rest.chars().next()), Some('Z') | None)
        })
        .unwrap_or(false)
}

#[test]
fn a_broker_dies_with_the_process_that_started_it() {
    let (mut child, pid) =
        child::spawn_and_wait_for("child_with_a_running_broker", (CHILD_ENV, "1"), CHILD_READY);
    let pid: u32 = pid.parse().expect("a pid");
    assert!(is_running(pid), "the broker runs while its process does");
    let folder = std::fs::read_to_string(format!("/proc/{pid}/cmdline"))
        .expect("the broker's command line")
        .split('\0')
        .find_map(|arg| {
            arg.strip_prefix("-Dkafka.events.test.broker=")
                .map(str::to_owned)
        })
        .expect("the marker property");

    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let started = Instant::now();
    while (is_running(pid) || Path::new(&folder).exists())
        && started.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!is_running(pid), "the broker outlived its process");
    assert!(
        !Path::new(&folder).exists(),
        "the broker's folder {folder} was left behind"
    );
    eprintln!(
        "broker gone {:.1} s after its process was killed",
        started.elapsed().as_secs_f64()
    );
}
