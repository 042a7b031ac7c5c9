//! How a consumer retries a record its handler failed on: the partition waits (paused, so the
//! others go on) for a backoff that doubles per failure up to a cap, and after a bound the
//! record goes to the dead-letter topic instead of blocking its partition for ever.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::dead_letter::RecordPosition;

/// When a consumer tries a record again after its handler failed (or its dead letter could not
/// be written), and when it gives up on the handler.
///
/// ```
/// use std::time::Duration;
/// use event_kafka::RetryPolicy;
/// let policy = RetryPolicy::default();
/// assert_eq!(policy.backoff(1), Duration::from_millis(100));
/// assert_eq!(policy.backoff(3), Duration::from_millis(400));
/// assert_eq!(policy.backoff(40), Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure (100 ms); each further failure doubles it.
    pub first_backoff: Duration,
    /// The longest wait (30 s).
    pub max_backoff: Duration,
    /// After this many handler failures (errors or panics) on one record, the record is
    /// written to the dead-letter topic with kind `handler_failed` and the partition moves on
    /// (10). `None`: the handler is retried for as long as it fails, the partition waiting.
    /// A dead letter that cannot be written is always retried: skipping it would lose it.
    pub dead_letter_after: Option<u32>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            first_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(30),
            dead_letter_after: Some(10),
        }
    }
}

impl RetryPolicy {
    /// The wait after the `failures`-th failure in a row on one record.
    pub fn backoff(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(31);
        self.first_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }

    /// Whether the handler has failed on a record often enough to dead-letter it.
    pub(crate) fn gives_up_after(&self, failures: u32) -> bool {
        self.dead_letter_after
            .is_some_and(|bound| failures >= bound)
    }
}

/// A partition waiting to read a record again.
#[derive(Debug)]
struct Waiting {
    offset: i64,
    failures: u32,
    resume_at: Instant,
    paused: bool,
}

/// The partitions waiting for a retry, by (topic, partition).
#[derive(Debug, Default)]
pub(crate) struct Retries {
    waiting: HashMap<(String, i32), Waiting>,
}

impl Retries {
    /// Counts a failure at `position` (the first, unless the partition already failed on that
    /// very offset) and marks the partition paused until the backoff is over. Returns the
    /// failures in a row.
    pub(crate) fn failed(&mut self, position: &RecordPosition, policy: &RetryPolicy) -> u32 {
        let key = (position.topic.clone(), position.partition);
        let failures = match self.waiting.get(&key) {
            Some(waiting) if waiting.offset == position.offset => waiting.failures + 1,
            _ => 1,
        };
        self.waiting.insert(
            key,
            Waiting {
                offset: position.offset,
                failures,
                resume_at: Instant::now() + policy.backoff(failures),
                paused: true,
            },
        );
        failures
    }

    /// The record at `position` was handled or dead-lettered, or the partition moved past the
    /// offset that failed: its count starts again.
    pub(crate) fn settled(&mut self, position: &RecordPosition) {
        // Nothing waits in the common case: no key is built (a copy of the topic) to find so.
        if !self.waiting.is_empty() {
            self.waiting
                .remove(&(position.topic.clone(), position.partition));
        }
    }

    /// Failures so far on the record at `position`.
    pub(crate) fn failures(&self, position: &RecordPosition) -> u32 {
        self.waiting
            .get(&(position.topic.clone(), position.partition))
            .filter(|waiting| waiting.offset == position.offset)
            .map_or(0, |waiting| waiting.failures)
    }

    /// The paused partitions whose wait is over at `now`, marked resumed.
    pub(crate) fn due(&mut self, now: Instant) -> Vec<(String, i32)> {
        self.waiting
            .iter_mut()
            .filter(|(_, waiting)| waiting.paused && waiting.resume_at <= now)
            .map(|(key, waiting)| {
                waiting.paused = false;
                key.clone()
            })
            .collect()
    }

    /// Marks a partition paused again (its resume failed; try at the next poll).
    pub(crate) fn still_paused(&mut self, topic: &str, partition: i32) {
        if let Some(waiting) = self.waiting.get_mut(&(topic.to_owned(), partition)) {
            waiting.paused = true;
        }
    }

    /// When the next paused partition is due, if any.
    pub(crate) fn next_due(&self) -> Option<Instant> {
        self.waiting
            .values()
            .filter(|waiting| waiting.paused)
            .map(|waiting| waiting.resume_at)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offset: i64) -> RecordPosition {
        RecordPosition {
            topic: "t".into(),
            partition: 0,
            offset,
        }
    }

    #[test]
    fn failures_count_per_offset_and_restart_after_it() {
        let policy = RetryPolicy::default();
        let mut retries = Retries::default();
        assert_eq!(retries.failed(&at(5), &policy), 1);
        assert_eq!(retries.failed(&at(5), &policy), 2);
        assert_eq!(retries.failures(&at(5)), 2);
        assert_eq!(retries.failed(&at(6), &policy), 1, "another offset");
        retries.settled(&at(7));
        assert_eq!(retries.failures(&at(6)), 0);
    }

    #[test]
    fn a_paused_partition_is_due_after_its_backoff_only() {
        let policy = RetryPolicy {
            first_backoff: Duration::from_secs(60),
            ..RetryPolicy::default()
        };
        let mut retries = Retries::default();
        retries.failed(&at(1), &policy);
        let now = Instant::now();
        assert!(retries.due(now).is_empty());
        assert!(retries.next_due().is_some_and(|due| due > now));
        assert_eq!(
            retries.due(now + Duration::from_secs(61)),
            vec![("t".to_owned(), 0)]
        );
        assert_eq!(retries.next_due(), None, "resumed");
    }

    #[test]
    fn the_backoff_doubles_to_its_cap_without_overflow() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(2), Duration::from_millis(200));
        assert_eq!(policy.backoff(u32::MAX), policy.max_backoff);
        assert!(policy.gives_up_after(10));
        assert!(!policy.gives_up_after(9));
    }
}
