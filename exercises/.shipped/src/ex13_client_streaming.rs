//! Exercise 13: a stream of requests, one answer (chapter 3, client streaming).
//!
//! The client streams names; the server reads them all and answers once, with
//! `Hello, Ann, Bob, Cid!` and how many names it greeted.

use helloworld_proto::v4::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v4::greeter_service_server::GreeterService;
use helloworld_proto::v4::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Channel;
use tonic::{Request, Response, Status, Streaming};

/// The server half.
#[derive(Debug, Default)]
pub struct Greeter;

// ANCHOR: server
#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // TODO: read every name from the stream, then answer once:
        // message `Hello, <names joined by ", ">!`, greeted_count = how many names.
        todo!("read the whole stream, then answer")
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// The client half: streams `names` to the server and returns its one answer.
pub async fn greet_all(channel: Channel, names: &[&str]) -> Result<SayHelloResponse, Status> {
    // TODO: turn `names` into a stream of `SayHelloRequest`s and pass it to `say_hello`.
    todo!("stream the names")
}
// ANCHOR_END: client
