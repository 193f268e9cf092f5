//! Counting calls in progress, so lessons and tests can *count* concurrency
//! instead of guessing it from timings.
//!
//! A guard also tells a call that *completed* (its handler reached
//! [`InFlightGuard::complete`]) from one that was *abandoned* (dropped half-way,
//! as tonic does with a handler future when the client cancels or the deadline
//! passes). Tests wait for a count with [`InFlight::wait_for`] instead of sleeping.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::Notify;

/// How many calls are in progress now, and the most there have ever been at once.
///
/// Cloning shares the counters: hand one clone to the server, keep one to read.
#[derive(Clone, Debug, Default)]
pub struct InFlight {
    counters: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    current: AtomicUsize,
    peak: AtomicUsize,
    finished: AtomicUsize,
    completed: AtomicUsize,
    changed: Notify,
}

/// Marks one call in progress until dropped (also when the call is cancelled).
#[derive(Debug)]
pub struct InFlightGuard {
    counters: Arc<Counters>,
    completed: AtomicBool,
}

impl InFlight {
    /// A gauge at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts a call as started; it counts as finished when the guard drops.
    pub fn enter(&self) -> InFlightGuard {
        let now = self.counters.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.counters.peak.fetch_max(now, Ordering::SeqCst);
        self.counters.changed.notify_waiters();
        InFlightGuard {
            counters: self.counters.clone(),
            completed: AtomicBool::new(false),
        }
    }

    /// Calls in progress right now.
    pub fn current(&self) -> usize {
        self.counters.current.load(Ordering::SeqCst)
    }

    /// The most calls that were ever in progress at once.
    pub fn peak(&self) -> usize {
        self.counters.peak.load(Ordering::SeqCst)
    }

    /// Calls that have ended (normally or not).
    pub fn finished(&self) -> usize {
        self.counters.finished.load(Ordering::SeqCst)
    }

    /// Calls that ended after [`InFlightGuard::complete`]: their work was done.
    pub fn completed(&self) -> usize {
        self.counters.completed.load(Ordering::SeqCst)
    }

    /// Calls that ended without completing: dropped by a cancel, a deadline or an error.
    pub fn abandoned(&self) -> usize {
        self.finished() - self.completed().min(self.finished())
    }

    /// Waits until `condition` holds for this gauge (checked on every change).
    ///
    /// Tests wrap it in `tokio::time::timeout` so a condition that never comes
    /// fails the test instead of hanging it.
    pub async fn wait_for(&self, condition: impl Fn(&InFlight) -> bool) {
        loop {
            let changed = self.counters.changed.notified();
            if condition(self) {
                return;
            }
            changed.await;
        }
    }
}

impl InFlightGuard {
    /// Marks the call's work as done; dropping the guard then counts it as completed.
    pub fn complete(&self) {
        self.completed.store(true, Ordering::SeqCst);
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if self.completed.load(Ordering::SeqCst) {
            self.counters.completed.fetch_add(1, Ordering::SeqCst);
        }
        self.counters.finished.fetch_add(1, Ordering::SeqCst);
        self.counters.current.fetch_sub(1, Ordering::SeqCst);
        self.counters.changed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_current_peak_and_finished() {
        let gauge = InFlight::new();
        let a = gauge.enter();
        let b = gauge.clone().enter();
        drop(a);
        let _c = gauge.enter();
        drop(b);
        assert_eq!((gauge.current(), gauge.peak(), gauge.finished()), (1, 2, 2));
    }

    #[test]
    fn tells_completed_from_abandoned() {
        let gauge = InFlight::new();
        let done = gauge.enter();
        done.complete();
        drop(done);
        drop(gauge.enter());
        assert_eq!((gauge.completed(), gauge.abandoned()), (1, 1));
    }

    #[tokio::test]
    async fn wait_for_wakes_on_change() {
        let gauge = InFlight::new();
        let waiter = {
            let gauge = gauge.clone();
            tokio::spawn(async move { gauge.wait_for(|g| g.abandoned() == 1).await })
        };
        tokio::task::yield_now().await;
        drop(gauge.enter());
        tokio::time::timeout(std::time::Duration::from_secs(5), waiter)
            .await
            .expect("woken")
            .unwrap();
    }
}
