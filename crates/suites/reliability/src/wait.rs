//! Bounded waiting: every wait in the suite has a deadline, so a server bug shows
//! up as a failed case with a reason, never as a hung CI job.
//!
//! There are no sleeps used for synchronisation. When a case must wait for the
//! server to reach a state it cannot be told about (a counter back to zero, a
//! producer that stopped), it *polls* counters of events until the condition
//! holds, and gives up at a deadline. Nothing is inferred from a quiet spell:
//! "no change for 200 ms" is not "blocked" on a loaded machine.

use std::future::Future;
use std::time::Duration;

use anyhow::anyhow;
use tokio::time::{Instant, interval};

/// How long one step of a case (a call, a read) may take before it counts as hung.
pub const STEP: Duration = Duration::from_secs(5);

/// How often a polled condition is re-checked.
const POLL: Duration = Duration::from_millis(10);

/// Awaits `future` for at most [`STEP`]; `what` names it in the error.
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> anyhow::Result<T> {
    within_for(STEP, what, future).await
}

/// Awaits `future` for at most `limit`, for the few steps that do a lot of work.
pub async fn within_for<T>(
    limit: Duration,
    what: &str,
    future: impl Future<Output = T>,
) -> anyhow::Result<T> {
    tokio::time::timeout(limit, future)
        .await
        .map_err(|_| anyhow!("{what}: nothing within {limit:?} (hang)"))
}

/// Polls `condition` until it holds, for at most [`STEP`]. On timeout the error
/// shows the last value `observe` reported.
pub async fn until<V: std::fmt::Debug>(
    what: &str,
    observe: impl FnMut() -> V,
    condition: impl Fn(&V) -> bool,
) -> anyhow::Result<V> {
    until_within(STEP, what, observe, condition).await
}

/// [`until`] with a deadline of `limit`.
async fn until_within<V: std::fmt::Debug>(
    limit: Duration,
    what: &str,
    mut observe: impl FnMut() -> V,
    condition: impl Fn(&V) -> bool,
) -> anyhow::Result<V> {
    let deadline = Instant::now() + limit;
    let mut tick = interval(POLL);
    loop {
        tick.tick().await;
        let value = observe();
        if condition(&value) {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            return Err(anyhow!("{what}: still {value:?} after {limit:?}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn until_reports_the_last_value_on_timeout() {
        let limit = Duration::from_millis(30);
        let error = until_within(limit, "never", || 1, |v| *v == 2)
            .await
            .unwrap_err();
        assert!(error.to_string().contains("still 1"), "{error}");
    }
}
