//! Exercise 13, a fake answer: the server answers a constant, and the client
//! makes the summary up instead of calling. scripts/check-exercises requires
//! these tests to fail on it:
//! fails: the_server_answers_once_after_the_last_name the_client_streams_every_name

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
        _request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        Ok(Response::new(SayHelloResponse {
            message: "Hello, Ann, Bob, Cid!".to_owned(),
            greeted_count: 3,
        }))
    }
}

/// Never calls.
pub async fn greet_all(_channel: Channel, names: &[&str]) -> Result<SayHelloResponse, Status> {
    Ok(SayHelloResponse {
        message: format!("Hello, {}!", names.join(", ")),
        greeted_count: names.len() as u32,
    })
}
