//! Exercise 3: a blocking client for synchronous code (chapter 2, the blocking layer).
//!
//! The tutorial's sync client calls `stub.SayHello(...)` and simply waits. tonic
//! is async-only, so a blocking client owns a tokio runtime and *blocks on* each
//! async call. It must be used from ordinary threads: calling `block_on` from
//! inside an async task panics, which is why the test is a plain `#[test]`.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tokio::runtime::Runtime;
use tonic::transport::Channel;

/// A `GreeterService` client whose methods block, like grpcio's stubs.
#[derive(Debug)]
pub struct BlockingGreeter {
    /// Drives the async client; one per blocking client.
    runtime: Runtime,
    client: GreeterServiceClient<Channel>,
}

// ANCHOR: client
impl BlockingGreeter {
    /// Connects to `url`, blocking until connected (grpcio's `insecure_channel`).
    pub fn connect(url: &str) -> anyhow::Result<Self> {
        // TODO: make the runtime this client owns, and wait on it for the async
        // connect to finish.
        todo!("connect, blocking")
    }

    /// Calls `SayHello`, blocking until the answer arrives; returns its message.
    pub fn say_hello(&mut self, name: &str) -> Result<String, tonic::Status> {
        // TODO: wait, on the client's runtime, for the async call to finish.
        todo!("call SayHello, blocking")
    }
}
// ANCHOR_END: client
