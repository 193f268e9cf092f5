//! Exercise 14: both sides stream, in lock-step (chapter 3, async bidi).
//!
//! The server must answer each name *as it arrives*: `Hello, <name>!`. A server
//! that first collects every request and only then answers deadlocks with a
//! client that waits for each answer before sending the next name, which is what
//! the test's client does.

use std::pin::Pin;

use helloworld_proto::v3::greeter_service_server::GreeterService;
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

/// Any stream of greetings will do.
pub type Greetings = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

/// The server half.
#[derive(Debug, Default)]
pub struct Greeter;

// ANCHOR: server
#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = Greetings;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        // TODO: answer every incoming `SayHelloRequest` with `Hello, <name>!`,
        // one answer per request, as soon as it arrives.
        todo!("map each request to a greeting")
    }
}
// ANCHOR_END: server
