//! Exercise 12, a fake answer: the server streams a constant, and the client
//! makes the greetings up instead of calling. scripts/check-exercises requires
//! these tests to fail on it:
//! fails: the_server_streams_five_greetings_and_ends the_client_collects_every_greeting

use std::pin::Pin;

use helloworld_proto::v2::greeter_service_server::GreeterService;
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use tokio_stream::{Stream, StreamExt};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

/// Any stream of greetings will do.
pub type Greetings = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

/// The server half.
#[derive(Debug, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = Greetings;

    async fn say_hello(
        &self,
        _request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let stream = tokio_stream::iter(0..5).map(|i| {
            Ok(SayHelloResponse {
                message: format!("Hello number {i}, Jack!"),
            })
        });
        Ok(Response::new(Box::pin(stream)))
    }
}

/// Never calls.
pub async fn collect_greetings(_channel: Channel, name: &str) -> Result<Vec<String>, Status> {
    Ok((0..5)
        .map(|i| format!("Hello number {i}, {name}!"))
        .collect())
}
