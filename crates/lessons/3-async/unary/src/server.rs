// ANCHOR: head
//! The async unary server: the tutorial's `grpc.aio` greeter, on tokio.

use std::future::Future;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};
// ANCHOR_END: head

// ANCHOR: greeter
/// The servicer: `Greeter` with an `async def SayHello`.
#[derive(Debug, Default)]
pub struct Greeter {
    /// How long each call "works" (zero: the tutorial's greeter).
    pub work_delay: Duration,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        if !self.work_delay.is_zero() {
            // An async sleep gives the thread back: other calls run meanwhile.
            tokio::time::sleep(self.work_delay).await;
        }
        let name = request.into_inner().name;
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}
// ANCHOR_END: greeter

// ANCHOR: serve
/// Serves the greeter on `listener` until `shutdown` completes, then lets the
/// calls in progress finish: `grpc.aio.server()` + `await server.start()` +
/// `await server.wait_for_termination()`, as one future tokio drives.
pub async fn serve(
    listener: TcpListener,
    work_delay: Duration,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .add_service(GreeterServiceServer::new(Greeter { work_delay }))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
}
// ANCHOR_END: serve
