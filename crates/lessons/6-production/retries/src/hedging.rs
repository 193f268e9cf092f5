//! Hedging: a call slower than most gets a second copy, and the first answer wins.
//!
//! `tower::hedge::Hedge` keeps a histogram of recent latencies. A call still
//! unanswered at the chosen percentile (say p90) is sent once more, and whichever
//! copy answers first is the result; the other is cancelled. A rare slow call then
//! costs about the p90 latency instead of its own. The extra calls are one per
//! slow call plus at most about 10% of the others (those that outlive the p90).
//! Only idempotent methods may be hedged: both copies can run.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::Status;
use tonic::transport::Channel;
use tower::hedge::{Hedge, Policy};
use tower::{BoxError, Service, ServiceExt};

use crate::call::{Call, Unary};

/// Hedges calls to the methods in `idempotent`, counting the copies sent.
#[derive(Debug, Clone)]
pub struct HedgeIdempotent {
    /// Paths of the methods that may run twice.
    pub idempotent: Arc<HashSet<&'static str>>,
    /// Second copies sent, over all calls.
    pub hedges: Arc<AtomicUsize>,
}

impl<M: Clone> Policy<Call<M>> for HedgeIdempotent {
    fn clone_request(&self, call: &Call<M>) -> Option<Call<M>> {
        self.idempotent.contains(call.path).then(|| call.clone())
    }

    // Asked when the delay is over and the first copy is still out.
    fn can_retry(&self, _call: &Call<M>) -> bool {
        self.hedges.fetch_add(1, Ordering::Relaxed);
        true
    }
}

/// Greeter calls on a channel, hedged.
pub type Hedged = Hedge<Unary<SayHelloRequest, SayHelloResponse>, HedgeIdempotent>;

/// Hedges the `idempotent` calls on `channel` that outlive the `percentile` latency
/// (0.9: p90) of the last `period`, once that period saw at least 20 calls.
pub fn hedged(
    channel: Channel,
    idempotent: &[&'static str],
    percentile: f32,
    period: Duration,
) -> (Hedged, Arc<AtomicUsize>) {
    let policy = HedgeIdempotent {
        idempotent: Arc::new(idempotent.iter().copied().collect()),
        hedges: Arc::new(AtomicUsize::new(0)),
    };
    let hedges = policy.hedges.clone();
    let service = Hedge::new(Unary::new(channel), policy, 20, percentile, period);
    (service, hedges)
}

/// Makes `call` through `hedged`, with tonic's `Status` as the error.
pub async fn call(
    hedged: &mut Hedged,
    call: Call<SayHelloRequest>,
) -> Result<SayHelloResponse, Status> {
    let ready = hedged.ready().await.map_err(to_status)?;
    ready.call(call).await.map_err(to_status)
}

/// tower's middleware boxes errors; the `Status` inside is the call's answer.
fn to_status(error: BoxError) -> Status {
    match error.downcast::<Status>() {
        Ok(status) => *status,
        Err(other) => Status::unknown(other.to_string()),
    }
}
