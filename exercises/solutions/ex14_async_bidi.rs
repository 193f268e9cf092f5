//! Exercise 14, solved: both sides stream, in lock-step.

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
        // ANCHOR: server
        // Lazy: each answer is made when the transport pulls it, right after its
        // request arrived. Nothing waits for the client to finish.
        let answers = request.into_inner().map(|request| {
            request.map(|request| SayHelloResponse {
                message: format!("Hello, {}!", request.name),
            })
        });
        Ok(Response::new(Box::pin(answers)))
        // ANCHOR_END: server
    }
}
