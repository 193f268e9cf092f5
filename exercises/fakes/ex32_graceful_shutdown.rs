//! Exercise 32, a fake answer: drains, but its grace period starts with the
//! server instead of at shutdown, so a server up longer than `grace` gives
//! its calls no time at all.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: the_grace_period_starts_at_shutdown_not_when_serving_starts

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::transport::server::{Router, TcpIncoming};

/// Serves `router` on `listener` until `shutdown` completes, then finishes the
/// calls in flight for at most `grace` (counted from the start) and returns.
pub async fn serve(
    router: Router,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> Result<(), tonic::transport::Error> {
    let incoming = TcpIncoming::from(listener);
    let server = router.serve_with_incoming_shutdown(incoming, shutdown);
    tokio::time::timeout(grace, server).await.unwrap_or(Ok(()))
}
