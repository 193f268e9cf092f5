//! When to send a failed call again, as a `tower::retry::Policy`.
//!
//! A retry is safe only when doing the work twice is harmless (the method is
//! idempotent) and the failure says "try again" (`UNAVAILABLE`: no server took the
//! call, or it refused it before starting). Between attempts it waits a random time
//! up to an exponentially growing ceiling ("full jitter"), so clients that failed
//! together do not come back together. A budget caps retries at a share of calls,
//! so an outage does not turn into a retry storm, and no retry starts that could
//! not finish before the call's deadline.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::{Instant, Sleep};
use tonic::{Code, Status};
use tower::retry::Policy;
use tower::retry::budget::{Budget, TpsBudget};

use crate::call::Call;

/// Retries `UNAVAILABLE` on idempotent methods, with backoff, a budget and the deadline.
///
/// tower clones the policy for every call, so `attempts` counts one call's attempts;
/// the budget and the counter are shared by all calls.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Paths of the methods that may run twice, `/package.Service/Method`.
    pub idempotent: Arc<HashSet<&'static str>>,
    /// Retries allowed, as a share of calls made (plus a small floor per second).
    pub budget: Arc<TpsBudget>,
    /// The first backoff ceiling; it doubles each attempt, up to `max_backoff`.
    pub base_backoff: Duration,
    /// The largest backoff ceiling.
    pub max_backoff: Duration,
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// The least time an attempt needs: a retry with less left is not started.
    pub attempt_time: Duration,
    /// Retries sent, over all calls.
    pub retried: Arc<AtomicUsize>,
    attempts: u32,
}

impl RetryPolicy {
    /// A policy for the methods in `idempotent`: 3 attempts, 10 ms doubling up to
    /// 1 s, and retries within 20% of calls (plus 10 a second).
    pub fn new(idempotent: &[&'static str]) -> Self {
        RetryPolicy {
            idempotent: Arc::new(idempotent.iter().copied().collect()),
            budget: Arc::new(TpsBudget::new(Duration::from_secs(10), 10, 0.2)),
            base_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_secs(1),
            max_attempts: 3,
            attempt_time: Duration::from_millis(5),
            retried: Arc::new(AtomicUsize::new(0)),
            attempts: 0,
        }
    }

    /// A random wait in `[0, ceiling]`, the ceiling doubling with each attempt.
    fn backoff(&self) -> Duration {
        let doublings = self.attempts.saturating_sub(1).min(16);
        let ceiling = (self.base_backoff * 2u32.pow(doublings)).min(self.max_backoff);
        ceiling.mul_f64(rand::random::<f64>())
    }
}

impl<M: Clone, R> Policy<Call<M>, R, Status> for RetryPolicy {
    type Future = Sleep;

    fn retry(&mut self, call: &mut Call<M>, result: &mut Result<R, Status>) -> Option<Sleep> {
        if self.attempts == 0 {
            self.budget.deposit(); // every call earns a share of a retry
        }
        self.attempts += 1;
        let status = result.as_ref().err()?;
        if status.code() != Code::Unavailable
            || !self.idempotent.contains(call.path)
            || self.attempts >= self.max_attempts
        {
            return None;
        }
        let wait = self.backoff();
        if Instant::now() + wait + self.attempt_time > call.deadline {
            return None; // it could not finish in time: the caller gets the error now
        }
        if !self.budget.withdraw() {
            return None;
        }
        self.retried.fetch_add(1, Ordering::Relaxed);
        Some(tokio::time::sleep(wait))
    }

    fn clone_request(&mut self, call: &Call<M>) -> Option<Call<M>> {
        Some(call.clone())
    }
}
