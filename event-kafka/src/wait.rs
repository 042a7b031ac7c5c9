//! Waiting for the cluster to catch up with a change it accepted (topics created, ACLs
//! applied): look again every 50 ms until nothing is pending or the time is up.

use std::time::{Duration, Instant};

/// How often a wait looks again.
const INTERVAL: Duration = Duration::from_millis(50);

/// What one look found.
pub(crate) enum Look<T, P> {
    /// Everything is there.
    Done(T),
    /// Something is still pending (what it is, for the error at the end).
    Pending(P),
}

/// Runs `look` (given the time left) until it is done, every [`INTERVAL`], for at most
/// `timeout`: `Ok(Ok(done))`, `Ok(Err((pending, waited)))` when the time ran out, or the
/// error of a look that failed.
pub(crate) fn until<T, P, E>(
    timeout: Duration,
    mut look: impl FnMut(Duration) -> Result<Look<T, P>, E>,
) -> Result<Result<T, (P, Duration)>, E> {
    let started = Instant::now();
    loop {
        match look(timeout.saturating_sub(started.elapsed()))? {
            Look::Done(done) => return Ok(Ok(done)),
            Look::Pending(pending) => {
                let waited = started.elapsed();
                if waited >= timeout {
                    return Ok(Err((pending, waited)));
                }
            }
        }
        std::thread::sleep(INTERVAL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_until_done() {
        let mut looks = 0;
        let outcome = until(Duration::from_secs(5), |_| {
            looks += 1;
            Ok::<_, ()>(if looks == 3 {
                Look::Done(looks)
            } else {
                Look::Pending(())
            })
        });
        assert!(matches!(outcome, Ok(Ok(3))));
    }

    #[test]
    fn gives_up_with_what_is_pending() {
        let outcome = until(Duration::from_millis(120), |_| {
            Ok::<Look<(), _>, ()>(Look::Pending("topic"))
        });
        let Ok(Err((pending, waited))) = outcome else {
            panic!("expected a timeout")
        };
        assert_eq!(pending, "topic");
        assert!(waited >= Duration::from_millis(120));
    }

    #[test]
    fn a_failed_look_ends_the_wait() {
        let outcome = until(Duration::from_secs(5), |_| {
            Err::<Look<(), ()>, _>("refused")
        });
        assert!(matches!(outcome, Err("refused")));
    }
}
