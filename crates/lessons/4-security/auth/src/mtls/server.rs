//! The `mtls` server: TLS, every client must present a certificate from our CA,
//! and the greeter greets the name in that certificate.

use std::error::Error;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::server::Router;
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
        // The chain the client presented, leaf first, verified by the handshake.
        let no_name = || Status::unauthenticated("no client certificate with a common name");
        let certs = request.peer_certs().ok_or_else(no_name)?;
        let leaf = certs.first().ok_or_else(no_name)?;
        let (_, cert) = X509Certificate::from_der(leaf).map_err(|_| no_name())?;
        let name = cert.subject().iter_common_name().next();
        let name = name.and_then(|cn| cn.as_str().ok()).ok_or_else(no_name)?;
        let message = format!("Hello, {name}!");
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// The greeter over mutual TLS: a client without a certificate from `certs/ca.pem`
/// fails the handshake.
pub fn router(certs: &Path) -> Result<Router, Box<dyn Error>> {
    let cert = std::fs::read(certs.join("server.pem"))?;
    let key = std::fs::read(certs.join("server.key"))?;
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(cert, key))
        .client_ca_root(Certificate::from_pem(std::fs::read(certs.join("ca.pem"))?))
        .timeout(Duration::from_secs(10));
    Ok(Server::builder()
        .tls_config(tls)?
        .add_service(GreeterServiceServer::new(PeerGreeter)))
}
