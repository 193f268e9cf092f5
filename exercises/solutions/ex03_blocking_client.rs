//! Exercise 3, solved: a blocking client for synchronous code (chapter 2, the blocking layer).
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

impl BlockingGreeter {
    /// Connects to `url`, blocking until connected (grpcio's `insecure_channel`).
    pub fn connect(url: &str) -> anyhow::Result<Self> {
        // ANCHOR: connect
        // One worker thread of its own keeps the connection's background tasks
        // (tonic's buffer, hyper's HTTP/2 driver) running, also between calls.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let client = runtime.block_on(GreeterServiceClient::connect(url.to_owned()))?;
        Ok(Self { runtime, client })
        // ANCHOR_END: connect
    }

    /// Calls `SayHello`, blocking until the answer arrives; returns its message.
    pub fn say_hello(&mut self, name: &str) -> Result<String, tonic::Status> {
        let request = SayHelloRequest {
            name: name.to_owned(),
        };
        let reply = self.runtime.block_on(self.client.say_hello(request))?;
        Ok(reply.into_inner().message)
    }
}
