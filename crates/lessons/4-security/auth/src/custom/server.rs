//! The `custom` server: every call must carry a valid HMAC request signature.

use std::error::Error;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, Server, ServerTlsConfig};

use crate::digest::DigestLayer;
use crate::greeter::{Greet, Greeter};
use crate::layer::AuthLayer;
use crate::signature::SignatureCheck;

// ANCHOR: server
/// Serves the greeter on `listener` until `shutdown`, letting in only calls that
/// pass `check`; over TLS with `certs/server.pem` and its key when `certs` is given.
pub async fn serve(
    listener: TcpListener,
    check: SignatureCheck,
    certs: Option<&Path>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn Error + Send + Sync>> {
    let mut builder = Server::builder();
    if let Some(certs) = certs {
        let cert = std::fs::read(certs.join("server.pem"))?;
        let key = std::fs::read(certs.join("server.key"))?;
        let tls = ServerTlsConfig::new()
            .identity(Identity::from_pem(cert, key))
            .timeout(Duration::from_secs(10));
        builder = builder.tls_config(tls)?;
    }
    // Nagle off, as tonic does when it binds a port itself: a small reply
    // should not wait for the ACK of the one before.
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    builder
        // First the message's digest (the body is read here), then the check:
        // tower layers, not an interceptor, as they see the path and `:authority`.
        .layer(DigestLayer)
        .layer(AuthLayer::new(Arc::new(check)))
        .add_service(GreeterServiceServer::new(Greeter::new(Greet::RequestName)))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}
// ANCHOR_END: server
