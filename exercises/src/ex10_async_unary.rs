//! Exercise 10: the tutorial's unary call, both halves (chapter 3, async unary).
//!
//! One request, one response: the server answers `Hello, <name>!` and the client
//! returns the message it got back.

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

/// The server half: the tutorial's `Greeter` servicer.
#[derive(Debug, Default)]
pub struct Greeter;

// ANCHOR: server
#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // TODO: answer `Hello, <name>!`, as the tutorial's server does.
        todo!("build the SayHelloResponse")
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// The client half: calls `SayHello` over `channel` and returns the greeting.
pub async fn greet(channel: Channel, name: &str) -> Result<String, Status> {
    // TODO: make a `GreeterServiceClient` on the channel, call `say_hello` with a
    // `SayHelloRequest`, and return the response's `message`.
    todo!("call SayHello")
}
// ANCHOR_END: client
