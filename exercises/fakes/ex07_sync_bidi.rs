//! Exercise 7, a fake answer: the server answers every request with a constant,
//! and the client makes the greetings up instead of calling.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: each_name_is_answered_before_the_next_is_sent plain_code_streams_names_and_collects_greetings

use helloworld_proto::v3::greeter_service_server::GreeterService;
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use sync_kit::{ResponseStream, WorkerPool};
use tonic::{Request, Response, Status, Streaming};

/// The server.
#[derive(Debug, Clone)]
pub struct Greeter {
    /// The threads blocking handlers run on.
    pub pool: WorkerPool,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = ResponseStream<SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let replies = self
            .pool
            .bidi(request.into_inner(), |requests| {
                requests.map(|_| SayHelloResponse {
                    message: "Hello, Jack!".to_owned(),
                })
            })
            .await?;
        Ok(Response::new(replies))
    }
}

/// Never calls.
pub fn greet_all(_url: &str, names: Vec<String>) -> anyhow::Result<Vec<String>> {
    Ok(names.iter().map(|name| format!("Hello, {name}!")).collect())
}
