//! Exercise 6, a fake answer: the server streams a constant, and the client makes
//! the greetings up instead of calling. scripts/check-exercises requires these
//! tests to fail on it:
//! fails: the_server_streams_five_greetings_then_ends plain_code_reads_the_stream_to_its_end

use helloworld_proto::v2::greeter_service_server::GreeterService;
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use sync_kit::{ResponseStream, WorkerPool};
use tonic::{Request, Response, Status};

/// How many greetings one call streams.
pub const GREETINGS: usize = 5;

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
        _request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let replies = self
            .pool
            .server_stream(|| {
                (0..GREETINGS).map(|i| SayHelloResponse {
                    message: format!("Hello number {i}, Jack!"),
                })
            })
            .await?;
        Ok(Response::new(replies))
    }
}

/// Never calls.
pub fn collect_greetings(_url: &str, name: &str) -> anyhow::Result<Vec<String>> {
    Ok((0..GREETINGS)
        .map(|i| format!("Hello number {i}, {name}!"))
        .collect())
}
