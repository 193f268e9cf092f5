//! The greeter behind the policy: the whole server a reader needs.

use std::future::Future;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

use crate::layer::AuthzLayer;
use crate::policy::Policy;
use crate::tokens::Tokens;

/// The tutorial's greeter; it never sees a call the policy refused.
#[derive(Debug, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

// ANCHOR: serve
/// Serves the greeter on `listener`, every call judged by `policy` first.
pub async fn serve(
    listener: TcpListener,
    policy: Policy,
    tokens: Tokens,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .layer(AuthzLayer::new(policy, tokens))
        .add_service(GreeterServiceServer::new(Greeter))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}
// ANCHOR_END: serve
