//! Exercise 32, solved: let tonic stop accepting and drain the calls in flight;
//! dropping the server future (as `select!` does) abandons them, so only the
//! grace timer may drop it.

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::transport::server::{Router, TcpIncoming};

/// Serves `router` on `listener` until `shutdown` completes, then finishes the
/// calls in flight for at most `grace` and returns.
pub async fn serve(
    router: Router,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> Result<(), tonic::transport::Error> {
    let incoming = TcpIncoming::from(listener);
    // ANCHOR: serve
    // The grace period starts when the drain does, so tonic's signal is ours.
    let (drain, draining) = oneshot::channel::<()>();
    let server = router.serve_with_incoming_shutdown(incoming, async {
        let _ = draining.await;
    });
    tokio::pin!(server);
    tokio::select! {
        served = &mut server => return served,
        () = shutdown => {}
    }
    let _ = drain.send(());
    match tokio::time::timeout(grace, server).await {
        Ok(served) => served,
        // Dropping the server future cuts off the calls that outstayed the grace.
        Err(_grace_expired) => Ok(()),
    }
    // ANCHOR_END: serve
}
