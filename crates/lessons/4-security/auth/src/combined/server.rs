//! The `combined` server: TLS channel credentials and the token check together.

use std::error::Error;
use std::future::Future;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, Server, ServerTlsConfig};

use crate::greeter::{Greet, Greeter};
use crate::token_mode::server::check_token;

// ANCHOR: server
/// Serves the greeter over TLS (`certs/server.pem` and key) to callers holding
/// `token`: the token travels only inside the encrypted channel.
pub async fn serve(
    listener: TcpListener,
    certs: &Path,
    token: String,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn Error + Send + Sync>> {
    let cert = std::fs::read(certs.join("server.pem"))?;
    let key = std::fs::read(certs.join("server.key"))?;
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(cert, key))
        .timeout(Duration::from_secs(10));
    let greeter = Greeter::new(Greet::RequestName);
    // Nagle off, as tonic does when it binds a port itself: a small reply
    // should not wait for the ACK of the one before.
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .tls_config(tls)?
        .add_service(GreeterServiceServer::with_interceptor(
            greeter,
            check_token(token),
        ))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}
// ANCHOR_END: server
