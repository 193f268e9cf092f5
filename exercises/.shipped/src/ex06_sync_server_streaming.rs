//! Exercise 6: server streaming is an iterator (chapter 2, sync server streaming).
//!
//! The tutorial's sync handler is a generator: `for i in range(5): yield ...`.
//! On the blocking layer, the handler returns an [`Iterator`], run on a worker of
//! the pool; the blocking client gets the replies as another iterator.

use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::GreeterService;
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use sync_kit::{BlockingChannel, ResponseStream, WorkerPool};
use tonic::transport::Endpoint;
use tonic::{Request, Response, Status};

/// How many greetings one call streams.
pub const GREETINGS: usize = 5;

/// The server: streams [`GREETINGS`] greetings, `Hello number {i}, {name}!` for
/// `i` from 0, from an iterator running on the pool.
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
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        // TODO: on a worker of `self.pool`, produce the greetings as an iterator.
        todo!("stream the greetings from an iterator")
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// The blocking client: calls `SayHello` and collects every greeting, in order,
/// until the server ends the stream.
pub fn collect_greetings(url: &str, name: &str) -> anyhow::Result<Vec<String>> {
    // TODO: start the call on a blocking channel and iterate over the replies.
    todo!("read the stream, blocking")
}
// ANCHOR_END: client
