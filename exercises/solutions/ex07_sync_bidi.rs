//! Exercise 7, solved: bidirectional streaming is an iterator in, an iterator out.

use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::GreeterService;
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use sync_kit::{BlockingChannel, ResponseStream, WorkerPool};
use tonic::transport::Endpoint;
use tonic::{Request, Response, Status, Streaming};

/// The server: answers every request with `Hello, <name>!`, one by one.
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
        // ANCHOR: server
        let replies = self
            .pool
            .bidi(request.into_inner(), |requests| {
                requests.map(|request| SayHelloResponse {
                    message: format!("Hello, {}!", request.name),
                })
            })
            .await?;
        Ok(Response::new(replies))
        // ANCHOR_END: server
    }
}

/// The blocking client: sends every name in one call and returns the greetings.
pub fn greet_all(url: &str, names: Vec<String>) -> anyhow::Result<Vec<String>> {
    // ANCHOR: client
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let requests = names.into_iter().map(|name| SayHelloRequest { name });
    let replies = channel.bidi(requests, |stream| stub.say_hello(stream))?;
    let greetings: Result<Vec<_>, _> = replies.map(|reply| reply.map(|r| r.message)).collect();
    Ok(greetings?)
    // ANCHOR_END: client
}
