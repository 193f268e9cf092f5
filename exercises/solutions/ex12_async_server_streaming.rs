//! Exercise 12, solved: one request, a stream of answers.

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

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = Greetings;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        // ANCHOR: server
        let name = request.into_inner().name;
        let stream = tokio_stream::iter(0..5).map(move |i| {
            Ok(SayHelloResponse {
                message: format!("Hello number {i}, {name}!"),
            })
        });
        Ok(Response::new(Box::pin(stream)))
        // ANCHOR_END: server
    }
}

/// The client half: calls `SayHello` and collects every greeting, in order.
pub async fn collect_greetings(channel: Channel, name: &str) -> Result<Vec<String>, Status> {
    // ANCHOR: client
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    let mut stream = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?
        .into_inner();
    let mut greetings = Vec::new();
    while let Some(reply) = stream.message().await? {
        greetings.push(reply.message);
    }
    Ok(greetings)
    // ANCHOR_END: client
}
