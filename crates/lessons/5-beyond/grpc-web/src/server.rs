//! Serving the router: HTTP/1.1 for browsers and curl, HTTP/2 for gRPC, one port.

use std::future::Future;

use tokio::net::TcpListener;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

/// Serves `app` on `listener` until `shutdown`.
///
/// `accept_http1(true)` lets a connection speak HTTP/1.1 as well as HTTP/2: tonic
/// then reads the first bytes and picks the protocol. Without TLS, HTTP/2 means
/// "prior knowledge" (h2c): the client starts with the HTTP/2 preface, as every
/// plaintext gRPC client does.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .accept_http1(true)
        .add_routes(Routes::from(app))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
}
