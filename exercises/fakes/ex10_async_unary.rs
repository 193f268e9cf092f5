//! Exercise 10, a fake answer: the handler returns a constant, and the client
//! makes the greeting up instead of calling. scripts/check-exercises requires
//! these tests to fail on it:
//! fails: the_server_answers_hello_name the_client_returns_the_greeting

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

/// The server half.
#[derive(Debug, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        _request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = "Hello, Jack!".to_owned();
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// Never calls.
pub async fn greet(_channel: Channel, name: &str) -> Result<String, Status> {
    Ok(format!("Hello, {name}!"))
}
