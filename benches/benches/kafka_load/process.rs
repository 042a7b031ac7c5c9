//! What a measured window cost the machine, read from `/proc`: CPU seconds of this process and
//! of the broker's JVM (each split by thread), CPU stolen by the host, and this process's
//! resident memory sampled through the window. Every reading is `None` off Linux.
//!
//! Threads that ran before the measured client started (a closed client's, still on their way
//! out) are left out of this process's figures.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// CPU seconds (user + system) in a `/proc/…/stat` file.
fn stat_cpu_seconds(path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(path).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// CPU seconds (user + system) of a process.
fn cpu_seconds(pid: &str) -> Option<f64> {
    stat_cpu_seconds(&format!("/proc/{pid}/stat"))
}

/// CPU seconds the hypervisor gave to other guests while this machine wanted them ("steal",
/// all cores), from `/proc/stat`: a run with much of it was measured on a noisy host.
fn stolen_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().next()?.split_whitespace().collect::<Vec<_>>();
    Some(cpu.get(8)?.parse::<f64>().ok()? / 100.0)
}

/// The resident memory of this process, in MiB (`VmRSS` of `/proc/self/status`).
fn resident_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Samples [`resident_mib`] every 500 ms until `stop`; the samples.
fn sample_memory(stop: Arc<AtomicBool>) -> thread::JoinHandle<Vec<f64>> {
    thread::spawn(move || {
        let mut samples = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            samples.extend(resident_mib());
            thread::sleep(Duration::from_millis(500));
        }
        samples.extend(resident_mib());
        samples
    })
}

/// CPU seconds of each thread of a process, by thread id, with the thread's name.
fn thread_cpu(pid: &str) -> HashMap<String, (String, f64)> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return HashMap::new();
    };
    tasks
        .flatten()
        .filter_map(|task| {
            let tid = task.file_name().to_string_lossy().into_owned();
            let name = std::fs::read_to_string(task.path().join("comm")).ok()?;
            let seconds = stat_cpu_seconds(&task.path().join("stat").to_string_lossy())?;
            Some((tid, (name.trim().to_owned(), seconds)))
        })
        .collect()
}

/// The ids of this process's threads now.
pub fn thread_ids() -> HashSet<String> {
    thread_cpu(&std::process::id().to_string())
        .into_keys()
        .collect()
}

/// The CPU seconds the threads `tids` used between two [`thread_cpu`] readings.
fn cpu_of(
    tids: &HashSet<String>,
    before: &HashMap<String, (String, f64)>,
    after: &HashMap<String, (String, f64)>,
) -> f64 {
    tids.iter()
        .filter_map(|tid| {
            let (_, now) = after.get(tid)?;
            Some(now - before.get(tid).map_or(0.0, |(_, seconds)| *seconds))
        })
        .sum()
}

/// The CPU each group of threads used between two [`thread_cpu`] readings, largest first,
/// without the threads `left_out`; threads are grouped by name without trailing digits
/// (`rdk:broker1` → `rdk:broker…`).
fn cpu_by_thread_group(
    before: &HashMap<String, (String, f64)>,
    after: &HashMap<String, (String, f64)>,
    left_out: &HashSet<String>,
) -> Vec<(String, f64)> {
    let mut groups: HashMap<String, f64> = HashMap::new();
    for (tid, (name, seconds)) in after.iter().filter(|(tid, _)| !left_out.contains(*tid)) {
        let earlier = before.get(tid).map_or(0.0, |(_, seconds)| *seconds);
        let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-');
        let group = if trimmed.len() < name.len() {
            format!("{trimmed}…")
        } else {
            name.clone()
        };
        *groups.entry(group).or_default() += seconds - earlier;
    }
    let mut groups: Vec<(String, f64)> = groups.into_iter().filter(|(_, s)| *s >= 0.05).collect();
    groups.sort_by(|a, b| b.1.total_cmp(&a.1));
    groups
}

/// The readings at the start of a measured window; [`close`](Self::close) takes the rest.
pub struct Window {
    own_pid: String,
    broker_pid: Option<String>,
    own_cpu: Option<f64>,
    broker_cpu: Option<f64>,
    own_threads: HashMap<String, (String, f64)>,
    broker_threads: HashMap<String, (String, f64)>,
    left_out: HashSet<String>,
    stolen: Option<f64>,
    memory_stop: Arc<AtomicBool>,
    memory: thread::JoinHandle<Vec<f64>>,
}

/// What a window cost.
pub struct Usage {
    /// CPU seconds of this process, without the threads left out.
    pub own_cpu: Option<f64>,
    /// CPU seconds of the threads left out (any that ran before the client started).
    pub left_out_cpu: f64,
    /// CPU seconds of the broker's JVM (when this process started it).
    pub broker_cpu: Option<f64>,
    /// This process's CPU by thread group, largest first.
    pub own_threads: Vec<(String, f64)>,
    /// The broker's CPU by thread group, largest first.
    pub broker_threads: Vec<(String, f64)>,
    /// CPU seconds the host gave to other guests meanwhile.
    pub stolen: Option<f64>,
    /// This process's resident memory every 0.5 s, in MiB.
    pub memory: Vec<f64>,
}

/// The resident memory of a window in brief, in MiB.
pub struct MemorySummary {
    /// The first sample.
    pub start: f64,
    /// The sample halfway through.
    pub middle: f64,
    /// The last sample.
    pub end: f64,
    /// The largest sample.
    pub peak: f64,
}

impl Usage {
    /// The window's resident memory in brief, when it was sampled at all.
    pub fn memory_summary(&self) -> Option<MemorySummary> {
        let (start, end) = (*self.memory.first()?, *self.memory.last()?);
        Some(MemorySummary {
            start,
            middle: self.memory[self.memory.len() / 2],
            end,
            peak: self.memory.iter().copied().fold(start, f64::max),
        })
    }
}

impl Window {
    /// Starts a window over this process, but for the threads `left_out`, and, when known, the
    /// broker's.
    pub fn open(broker_pid: Option<String>, left_out: HashSet<String>) -> Self {
        let own_pid = std::process::id().to_string();
        let memory_stop = Arc::new(AtomicBool::new(false));
        Window {
            left_out,
            own_cpu: cpu_seconds(&own_pid),
            broker_cpu: broker_pid.as_deref().and_then(cpu_seconds),
            own_threads: thread_cpu(&own_pid),
            broker_threads: broker_pid.as_deref().map(thread_cpu).unwrap_or_default(),
            stolen: stolen_seconds(),
            memory: sample_memory(Arc::clone(&memory_stop)),
            memory_stop,
            own_pid,
            broker_pid,
        }
    }

    /// Ends the window: what it cost.
    pub fn close(self) -> Usage {
        self.memory_stop.store(true, Ordering::Relaxed);
        let since = |before: Option<f64>, now: Option<f64>| before.zip(now).map(|(a, b)| b - a);
        let own_threads = thread_cpu(&self.own_pid);
        let left_out_cpu = cpu_of(&self.left_out, &self.own_threads, &own_threads);
        Usage {
            own_cpu: since(self.own_cpu, cpu_seconds(&self.own_pid)).map(|own| own - left_out_cpu),
            left_out_cpu,
            broker_cpu: since(
                self.broker_cpu,
                self.broker_pid.as_deref().and_then(cpu_seconds),
            ),
            own_threads: cpu_by_thread_group(&self.own_threads, &own_threads, &self.left_out),
            broker_threads: self
                .broker_pid
                .as_deref()
                .map(|pid| {
                    cpu_by_thread_group(&self.broker_threads, &thread_cpu(pid), &HashSet::new())
                })
                .unwrap_or_default(),
            stolen: since(self.stolen, stolen_seconds()),
            memory: self.memory.join().unwrap_or_default(),
        }
    }
}

/// One line naming the ten busiest thread groups of `process`.
pub fn thread_groups_line(process: &str, groups: &[(String, f64)]) -> String {
    let listed: Vec<String> = groups
        .iter()
        .take(10)
        .map(|(name, seconds)| format!("{name} {seconds:.1} s"))
        .collect();
    format!("  CPU by thread, {process}: {}", listed.join(", "))
}
