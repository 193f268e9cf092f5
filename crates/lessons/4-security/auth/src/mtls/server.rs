//! The `mtls` server: TLS, every client must present a certificate from our CA,
//! and the greeter greets the name in that certificate.

use std::error::Error;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Identity, Server, ServerTlsConfig};
use tonic::{Request, Response, Status};
use x509_parser::prelude::{FromDer, X509Certificate};

/// Greets the caller by its certificate, whatever name the request holds.
pub struct PeerGreeter;

#[tonic::async_trait]
impl GreeterService for PeerGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", peer_common_name(&request)?);
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// The common name of the client's certificate, already verified by the handshake.
pub fn peer_common_name<T>(request: &Request<T>) -> Result<String, Status> {
    let no_name = || Status::unauthenticated("no client certificate with a common name");
    let certs = request.peer_certs().ok_or_else(no_name)?;
    let leaf = certs.first().ok_or_else(no_name)?;
    let (_, cert) = X509Certificate::from_der(leaf).map_err(|_| no_name())?;
    let name = cert.subject().iter_common_name().next();
    let name = name.and_then(|cn| cn.as_str().ok()).ok_or_else(no_name)?;
    Ok(name.to_owned())
}

/// Serves over mutual TLS until `shutdown`: a client without a certificate from
/// `certs/ca.pem` fails the handshake.
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
    Server::builder()
        .tls_config(tls)?
        .add_service(GreeterServiceServer::new(PeerGreeter))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await?;
    Ok(())
}
