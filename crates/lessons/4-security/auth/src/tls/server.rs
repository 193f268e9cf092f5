//! The `tls` server: the tutorial's greeter behind a server certificate.

use std::error::Error;
use std::future::Future;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, Server, ServerTlsConfig};

use crate::greeter::{Greet, Greeter};

// ANCHOR: server
/// Serves the greeter on `listener` over TLS, proving who it is with
/// `certs/server.pem` and its key, until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    certs: &Path,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn Error + Send + Sync>> {
    let cert = std::fs::read(certs.join("server.pem"))?;
    let key = std::fs::read(certs.join("server.key"))?;
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(cert, key))
        // A client that connects and never finishes its handshake is dropped.
        .timeout(Duration::from_secs(10));
    // Nagle off, as tonic does when it binds a port itself: a small reply
    // should not wait for the ACK of the one before.
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .tls_config(tls)?
        .add_service(GreeterServiceServer::new(Greeter::new(Greet::RequestName)))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}
// ANCHOR_END: server
