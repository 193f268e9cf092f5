// ANCHOR: head
//! The async server-streaming server: the tutorial's async-generator servicer.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use helloworld_proto::v2::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use tokio::net::TcpListener;
use tokio_stream::Stream;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

/// The stream a call returns: boxed, because an `async_stream` block has no name.
pub type GreetingStream = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;
// ANCHOR_END: head

// ANCHOR: greeter
/// The servicer: an async generator of `count` greetings per call.
#[derive(Debug, Clone)]
pub struct Greeter {
    /// Greetings per call (the tutorial's sends 3).
    pub count: u32,
    /// Pause before each greeting.
    pub message_delay: Duration,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = GreetingStream;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<GreetingStream>, Status> {
        let name = request.into_inner().name;
        let Self {
            count,
            message_delay,
        } = self.clone();
        // `yield` inside `async def`: tonic polls it as the client reads, and
        // drops it (mid-loop) if the client hangs up.
        let greetings = async_stream::stream! {
            for i in 0..count {
                if !message_delay.is_zero() {
                    tokio::time::sleep(message_delay).await;
                }
                yield Ok(SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                });
            }
        };
        Ok(Response::new(Box::pin(greetings)))
    }
}
// ANCHOR_END: greeter

// ANCHOR: serve
/// Serves `greeter` on `listener` until `shutdown`; streams in progress run to
/// their end first.
pub async fn serve(
    listener: TcpListener,
    greeter: Greeter,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .add_service(GreeterServiceServer::new(greeter))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
}
// ANCHOR_END: serve
