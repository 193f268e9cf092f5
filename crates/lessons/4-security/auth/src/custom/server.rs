//! The `custom` server: every call must carry a valid HMAC request signature.

use std::error::Error;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, Server, ServerTlsConfig};

use crate::digest::DigestLayer;
use crate::signature::SignatureCheck;
use crate::tls::server::Greeter;

/// Serves the greeter until `shutdown` to calls that pass `check`; over TLS with
/// `certs/server.pem` and its key when `certs` is given.
pub async fn serve(
    listener: TcpListener,
    check: SignatureCheck,
    certs: Option<&Path>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn Error>> {
    let mut builder = Server::builder();
    if let Some(certs) = certs {
        let cert = std::fs::read(certs.join("server.pem"))?;
        let key = std::fs::read(certs.join("server.key"))?;
        let tls = ServerTlsConfig::new()
            .identity(Identity::from_pem(cert, key))
            .timeout(Duration::from_secs(10));
        builder = builder.tls_config(tls)?;
    }
    builder
        // A tower layer, not an interceptor: it sees the body, the path and `:authority`.
        .layer(DigestLayer::checking(move |call| check.authenticate(call)))
        .add_service(GreeterServiceServer::new(Greeter))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await?;
    Ok(())
}
