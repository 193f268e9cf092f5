//! Exercise 6, solved: server streaming is an iterator.

use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::GreeterService;
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use sync_kit::{BlockingChannel, ResponseStream, WorkerPool};
use tonic::transport::Endpoint;
use tonic::{Request, Response, Status};

/// How many greetings one call streams.
pub const GREETINGS: usize = 5;

/// The server: streams [`GREETINGS`] greetings, `Hello number {i}, {name}!` for
/// `i` from 0, from an iterator running on the pool.
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
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        // ANCHOR: server
        let name = request.into_inner().name;
        let replies = self
            .pool
            .server_stream(move || {
                (0..GREETINGS).map(move |i| SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                })
            })
            .await?;
        Ok(Response::new(replies))
        // ANCHOR_END: server
    }
}

/// The blocking client: calls `SayHello` and collects every greeting, in order,
/// until the server ends the stream.
pub fn collect_greetings(url: &str, name: &str) -> anyhow::Result<Vec<String>> {
    // ANCHOR: client
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    let mut greetings = Vec::new();
    for reply in channel.server_stream(stub.say_hello(request))? {
        greetings.push(reply?.message);
    }
    Ok(greetings)
    // ANCHOR_END: client
}
