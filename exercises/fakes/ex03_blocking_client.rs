//! Exercise 3, a fake answer: connects, then makes the greeting up instead of
//! calling. scripts/check-exercises requires these tests to fail on it:
//! fails: a_blocking_client_greets_from_plain_code

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
    /// Connects to `url`, blocking until connected.
    pub fn connect(url: &str) -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let client = runtime.block_on(GreeterServiceClient::connect(url.to_owned()))?;
        Ok(Self { runtime, client })
    }

    /// Never calls.
    pub fn say_hello(&mut self, name: &str) -> Result<String, tonic::Status> {
        let _ = (&self.runtime, &self.client);
        Ok(format!("Hello, {name}!"))
    }
}
