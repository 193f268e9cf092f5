//! The `mtls` server: TLS, and every client must present a certificate from our CA.

use std::error::Error;
use std::future::Future;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Identity, Server, ServerTlsConfig};

use crate::greeter::{Greet, Greeter};

// ANCHOR: server
/// Serves the greeter over mutual TLS until `shutdown`: a client without a
/// certificate issued by `certs/ca.pem` fails the handshake, and the handler
/// greets the common name of the certificate it presented.
pub async fn serve(
    listener: TcpListener,
    certs: &Path,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn Error + Send + Sync>> {
    let cert = std::fs::read(certs.join("server.pem"))?;
    let key = std::fs::read(certs.join("server.key"))?;
    let client_ca = Certificate::from_pem(std::fs::read(certs.join("ca.pem"))?);
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(cert, key))
        .client_ca_root(client_ca)
        .timeout(Duration::from_secs(10));
    // Nagle off, as tonic does when it binds a port itself: a small reply
    // should not wait for the ACK of the one before.
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .tls_config(tls)?
        .add_service(GreeterServiceServer::new(Greeter::new(
            Greet::PeerCertificate,
        )))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}
// ANCHOR_END: server
