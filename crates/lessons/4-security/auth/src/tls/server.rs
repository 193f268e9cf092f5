//! The `tls` server: the tutorial's greeter behind a server certificate.

use std::error::Error;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::server::Router;
use tonic::transport::{Identity, Server, ServerTlsConfig};
use tonic::{Request, Response, Status};

pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// The greeter over TLS with `certs/server.pem` and its key, ready to `serve`.
pub fn router(certs: &Path) -> Result<Router, Box<dyn Error>> {
    let cert = std::fs::read(certs.join("server.pem"))?;
    let key = std::fs::read(certs.join("server.key"))?;
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(cert, key))
        .timeout(Duration::from_secs(10)); // for a client that never finishes its handshake
    Ok(Server::builder()
        .tls_config(tls)?
        .add_service(GreeterServiceServer::new(Greeter)))
}
