//! The `tls` server: the tutorial's greeter behind a server certificate.

use std::error::Error;
use std::path::Path;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, Server, ServerTlsConfig};
use tonic::{Request, Response, Status};

/// The tutorial's greeter: `Hello, <name>!`.
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

/// Serves the greeter over TLS with `certs/server.pem` and its key, until `shutdown`.
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
    Server::builder()
        .tls_config(tls)?
        .add_service(GreeterServiceServer::new(Greeter))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await?;
    Ok(())
}
