//! Exercise 4: the tutorial's sync unary call, on the blocking layer (chapter 2,
//! sync unary).
//!
//! The greeting is a plain blocking function, as in the tutorial's sync server.
//! The server runs it on a [`WorkerPool`] (the tutorial's
//! `ThreadPoolExecutor(max_workers=10)`), never on the async runtime's threads;
//! the client is plain blocking code over a [`BlockingChannel`], like grpcio's stub.

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use sync_kit::{BlockingChannel, WorkerPool};
use tonic::transport::Endpoint;
use tonic::{Request, Response, Status};

/// The tutorial's handler body: plain, blocking code.
pub fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

/// The server: runs [`greeting`] on its pool's workers.
#[derive(Debug, Clone)]
pub struct Greeter {
    /// The threads blocking handlers run on.
    pub pool: WorkerPool,
}

// ANCHOR: server
#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // TODO: answer with `greeting(name)`, computed on a worker of `self.pool`.
        todo!("run the greeting on a worker")
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// The blocking client: connects to `url`, calls `SayHello` once, returns the
/// message. Called from plain (not async) code.
pub fn greet(url: &str, name: &str) -> anyhow::Result<String> {
    // TODO: connect a blocking channel, make the generated client on it, and
    // wait for one `SayHello` call.
    todo!("call SayHello, blocking")
}
// ANCHOR_END: client
