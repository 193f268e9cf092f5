//! Exercise 4, solved: the tutorial's sync unary call, on the blocking layer.

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

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // ANCHOR: server
        let name = request.into_inner().name;
        let message = self.pool.unary(move || Ok(greeting(&name))).await?;
        Ok(Response::new(SayHelloResponse { message }))
        // ANCHOR_END: server
    }
}

/// The blocking client: connects to `url`, calls `SayHello` once, returns the
/// message. Called from plain (not async) code.
pub fn greet(url: &str, name: &str) -> anyhow::Result<String> {
    // ANCHOR: client
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    Ok(channel.unary(stub.say_hello(request))?.message)
    // ANCHOR_END: client
}
