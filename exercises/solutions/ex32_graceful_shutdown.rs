//! Exercise 32, solved: let tonic stop accepting and drain the calls in flight;
//! dropping the server future (as `select!` does) abandons them.

use std::future::Future;

use tokio::net::TcpListener;
use tonic::transport::server::{Router, TcpIncoming};

/// Serves `router` on `listener` until `shutdown` completes, then finishes the
/// calls in flight and returns.
pub async fn serve(
    router: Router,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    // ANCHOR: serve
    let incoming = TcpIncoming::from(listener);
    router
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
    // ANCHOR_END: serve
}
