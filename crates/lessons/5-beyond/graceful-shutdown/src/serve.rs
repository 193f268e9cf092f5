//! Serving with a bounded drain: on `shutdown`, stop accepting, let the calls in
//! flight finish, and give up on the ones still open after a grace period.

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

/// How the drain ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Every call in flight finished on its own.
    Drained,
    /// The grace period ran out; the calls still open were dropped.
    GraceExpired,
}

/// Serves `routes` until `shutdown` completes, then waits at most `grace` for
/// the calls in flight.
///
/// On `shutdown` tonic closes the listening socket and sends `GOAWAY`; its
/// future ends when the last call has finished. One endless stream would keep
/// it (and the process) up forever, so after `grace` the future is dropped,
/// which closes the connections still open.
pub async fn serve(
    listener: TcpListener,
    routes: Routes,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> Result<Ending, tonic::transport::Error> {
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let (asked, asked_for) = oneshot::channel();
    let stop_accepting = async move {
        shutdown.await;
        let _ = asked.send(());
    };
    let serving = Server::builder()
        .add_routes(routes)
        .serve_with_incoming_shutdown(incoming, stop_accepting);
    // The clock starts when shutdown is asked for, not when serving starts.
    let grace_over = async move {
        let _ = asked_for.await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = serving => result.map(|()| Ending::Drained),
        () = grace_over => Ok(Ending::GraceExpired),
    }
}
