//! Counting calls in progress, so lessons and tests can *count* concurrency
//! instead of guessing it from timings.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
}

/// Marks one call in progress until dropped (also when the call is cancelled).
#[derive(Debug)]
pub struct InFlightGuard {
    counters: Arc<Counters>,
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
        InFlightGuard {
            counters: self.counters.clone(),
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
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.counters.current.fetch_sub(1, Ordering::SeqCst);
        self.counters.finished.fetch_add(1, Ordering::SeqCst);
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
}
