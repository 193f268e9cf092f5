//! Exercise 32 (fix the bug): a shutdown that cuts off calls in flight (beyond
//! the tutorial, graceful shutdown).
//!
//! On Ctrl-C (here: when `shutdown` completes) a server should stop accepting
//! new calls, let the calls it is serving finish, and only then return; but not
//! wait forever: an orchestrator kills a server that outstays its own grace
//! period, so after `grace` the calls still running are given up. This one
//! returns at once.

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::transport::server::{Router, TcpIncoming};

// ANCHOR: serve
/// Serves `router` on `listener` until `shutdown` completes, then finishes the
/// calls in flight for at most `grace` and returns.
pub async fn serve(
    router: Router,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> Result<(), tonic::transport::Error> {
    let incoming = TcpIncoming::from(listener);
    // FIX: when `shutdown` completes, calls being served are abandoned at once.
    tokio::select! {
        served = router.serve_with_incoming(incoming) => served,
        () = shutdown => Ok(()),
    }
}
// ANCHOR_END: serve
