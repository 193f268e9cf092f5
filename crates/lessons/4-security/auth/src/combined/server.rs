//! The `combined` server: the `tls` server with the `token` check in front of the greeter.

use std::error::Error;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, Server, ServerTlsConfig};

use crate::tls::server::Greeter;
use crate::token_mode::server::check_token;

/// Serves over TLS (`certs/server.pem` and key) to callers holding `token`.
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
    let greeter = GreeterServiceServer::with_interceptor(Greeter, check_token(token));
    Server::builder()
        .tls_config(tls)?
        .add_service(greeter)
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await?;
    Ok(())
}
