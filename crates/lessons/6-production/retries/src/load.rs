//! Measuring calls: latencies, percentiles, and the hedging comparison the demo
//! prints. Plumbing, not a listing.

use std::time::Duration;

use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::time::Instant;
use tonic::Status;
use tonic::transport::Channel;
use tower::{Service, ServiceExt};

use crate::call::{Call, Unary};
use crate::client::SAY_HELLO;
use crate::hedging::{self, Hedged};

/// Latencies of a run, sorted.
#[derive(Debug, Clone, Default)]
pub struct Latencies(Vec<Duration>);

impl Latencies {
    /// Sorts `all`.
    pub fn new(mut all: Vec<Duration>) -> Self {
        all.sort();
        Latencies(all)
    }

    /// The `q` quantile (0.99: p99), nearest rank; zero when empty.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        let rank = (q * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    /// The slowest.
    pub fn max(&self) -> Duration {
        self.0.last().copied().unwrap_or_default()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `12.3ms`: milliseconds with one decimal (what the book's output check masks).
pub fn ms(duration: Duration) -> String {
    format!("{:.1}ms", duration.as_secs_f64() * 1000.0)
}

fn greeting(i: usize, timeout: Duration) -> Call<SayHelloRequest> {
    let request = SayHelloRequest {
        name: format!("caller {i}"),
    };
    Call::new(SAY_HELLO, request, timeout)
}

/// `calls` calls one after another, not hedged; their latencies.
pub async fn plain(channel: Channel, calls: usize, timeout: Duration) -> Result<Latencies, Status> {
    let mut unary = Unary::<SayHelloRequest, SayHelloResponse>::new(channel);
    let mut all = Vec::with_capacity(calls);
    for i in 0..calls {
        let started = Instant::now();
        unary.ready().await?.call(greeting(i, timeout)).await?;
        all.push(started.elapsed());
    }
    Ok(Latencies::new(all))
}

/// `calls` calls one after another through `hedged`; their latencies.
pub async fn hedged_calls(
    hedged: &mut Hedged,
    calls: usize,
    timeout: Duration,
) -> Result<Latencies, Status> {
    let mut all = Vec::with_capacity(calls);
    for i in 0..calls {
        let started = Instant::now();
        hedging::call(hedged, greeting(i, timeout)).await?;
        all.push(started.elapsed());
    }
    Ok(Latencies::new(all))
}

/// Calls through `hedged` until one histogram `period` is over, so the next
/// calls have a latency percentile to be hedged at; how many it made.
pub async fn warm_up(
    hedged: &mut Hedged,
    period: Duration,
    timeout: Duration,
) -> Result<usize, Status> {
    let started = Instant::now();
    let mut made = 0;
    // One call past the period: the histogram rotates on the first call after it.
    while started.elapsed() <= period + period / 10 {
        hedging::call(hedged, greeting(made, timeout)).await?;
        made += 1;
    }
    Ok(made)
}
