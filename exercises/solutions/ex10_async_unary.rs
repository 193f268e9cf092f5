//! Exercise 10, solved: the tutorial's unary call, both halves.

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

/// The server half: the tutorial's `Greeter` servicer.
#[derive(Debug, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // ANCHOR: server
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
        // ANCHOR_END: server
    }
}

/// The client half: calls `SayHello` over `channel` and returns the greeting.
pub async fn greet(channel: Channel, name: &str) -> Result<String, Status> {
    // ANCHOR: client
    let mut client = GreeterServiceClient::new(channel);
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    Ok(client.say_hello(request).await?.into_inner().message)
    // ANCHOR_END: client
}
