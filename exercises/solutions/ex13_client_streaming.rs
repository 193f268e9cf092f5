//! Exercise 13, solved: a stream of requests, one answer.

use helloworld_proto::v4::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v4::greeter_service_server::GreeterService;
use helloworld_proto::v4::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Channel;
use tonic::{Request, Response, Status, Streaming};

/// The server half.
#[derive(Debug, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // ANCHOR: server
        let mut stream = request.into_inner();
        let mut names = Vec::new();
        while let Some(request) = stream.message().await? {
            names.push(request.name);
        }
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {}!", names.join(", ")),
            greeted_count: u32::try_from(names.len()).unwrap_or(u32::MAX),
        }))
        // ANCHOR_END: server
    }
}

/// The client half: streams `names` to the server and returns its one answer.
pub async fn greet_all(channel: Channel, names: &[&str]) -> Result<SayHelloResponse, Status> {
    // ANCHOR: client
    let requests: Vec<SayHelloRequest> = names
        .iter()
        .map(|name| SayHelloRequest {
            name: (*name).to_owned(),
        })
        .collect();
    let mut client = GreeterServiceClient::new(channel);
    Ok(client
        .say_hello(tokio_stream::iter(requests))
        .await?
        .into_inner())
    // ANCHOR_END: client
}
