// ANCHOR: head
//! The async client-streaming server: many names in, one greeting out.

use std::future::Future;

use helloworld_proto::v4::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v4::{SayHelloRequest, SayHelloResponse};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status, Streaming};
// ANCHOR_END: head

// ANCHOR: greeter
/// The servicer: collects the names of one call, then greets them all at once.
#[derive(Debug, Clone)]
pub struct Greeter {
    /// Most names one call may stream: the server keeps them in memory.
    pub max_names: usize,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let mut requests = request.into_inner();
        let mut names = Vec::new();
        // `message()` awaits the next one; `None` means the client closed its half.
        while let Some(request) = requests.message().await? {
            if names.len() == self.max_names {
                let limit = self.max_names;
                let message = format!("at most {limit} names per call");
                return Err(Status::resource_exhausted(message));
            }
            names.push(request.name);
        }
        Ok(Response::new(SayHelloResponse {
            message: greeting(&names),
            greeted_count: names.len().try_into().unwrap_or(u32::MAX),
        }))
    }
}

/// One greeting for everyone: `Hello, nobody!`, `Hello, a!`, `Hello, a and b!`,
/// `Hello, a, b and c!`.
pub fn greeting(names: &[String]) -> String {
    match names {
        [] => "Hello, nobody!".to_owned(),
        [only] => format!("Hello, {only}!"),
        [first @ .., last] => format!("Hello, {} and {last}!", first.join(", ")),
    }
}
// ANCHOR_END: greeter

// ANCHOR: serve
/// Serves `greeter` on `listener` until `shutdown`, then lets calls in progress finish.
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
