//! Exercise 7: bidirectional streaming is an iterator in, an iterator out
//! (chapter 2, sync bidirectional streaming).
//!
//! The tutorial's sync bidi handler loops over `request_iterator` and yields one
//! reply per request. On the blocking layer the handler takes the requests as an
//! iterator and returns the replies as another; a reply must go out as soon as
//! its request is in, not after the client has sent everything.

use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::GreeterService;
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use sync_kit::{BlockingChannel, ResponseStream, WorkerPool};
use tonic::transport::Endpoint;
use tonic::{Request, Response, Status, Streaming};

/// The server: answers every request with `Hello, <name>!`, one by one.
#[derive(Debug, Clone)]
pub struct Greeter {
    /// The threads blocking handlers run on.
    pub pool: WorkerPool,
}

// ANCHOR: server
#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = ResponseStream<SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        // TODO: on a worker of `self.pool`, turn the requests (an iterator) into
        // the replies (an iterator), one reply per request.
        todo!("map the request iterator to replies")
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// The blocking client: sends every name in one call and returns the greetings.
pub fn greet_all(url: &str, names: Vec<String>) -> anyhow::Result<Vec<String>> {
    // TODO: start a bidi call on a blocking channel with the names as the request
    // iterator, and collect the replies.
    todo!("a blocking bidi call")
}
// ANCHOR_END: client
