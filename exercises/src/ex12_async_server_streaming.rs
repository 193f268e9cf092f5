//! Exercise 12: one request, a stream of answers (chapter 3, async server streaming).
//!
//! The tutorial's v2 server yields five greetings, `Hello number 0, Jack!` to
//! `Hello number 4, Jack!`, and then ends the stream; the client prints each one as
//! it arrives.

use std::pin::Pin;

use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::GreeterService;
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use tokio_stream::{Stream, StreamExt};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

/// Any stream of greetings will do, so the server may build it however it likes.
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
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        // TODO: answer with a stream of five greetings, `Hello number {i}, {name}!`
        // for i in 0..5; the stream ending is what ends the call.
        todo!("stream five greetings")
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// The client half: calls `SayHello` and collects every greeting, in order.
pub async fn collect_greetings(channel: Channel, name: &str) -> Result<Vec<String>, Status> {
    // TODO: call `say_hello`, then read the `Streaming` answer until it ends.
    todo!("read the stream to its end")
}
// ANCHOR_END: client
