//! Exercise 14, a fake answer: every request gets the same constant answer.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: each_name_is_answered_before_the_next_is_sent

use std::pin::Pin;

use helloworld_proto::v3::greeter_service_server::GreeterService;
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

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
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let answers = request.into_inner().map(|request| {
            request.map(|_| SayHelloResponse {
                message: "Hello, Ann!".to_owned(),
            })
        });
        Ok(Response::new(Box::pin(answers)))
    }
}
