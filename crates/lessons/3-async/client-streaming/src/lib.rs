//! Chapter 3, beyond the tutorial: client-streaming `SayHello` (package `v4`).
//!
//! The tutorial shows unary, server streaming and bidi; this is the fourth shape.
//! The client streams names; the server reads them all as they come, then answers
//! once: `Hello, a, b and c!` with `greeted_count = 3`. No names is a normal
//! call with a normal answer (`Hello, nobody!`); too many names is a clear
//! `RESOURCE_EXHAUSTED`, because the server keeps them in memory.

use helloworld_proto::v4::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v4::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v4::{SayHelloRequest, SayHelloResponse};
use lesson_kit::{Console, Lesson, ShutdownSignal, server};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::{Request, Response, Status, Streaming};

// ANCHOR: greeter
/// The servicer: collects the names of one call, then greets them all at once.
#[derive(Debug, Clone)]
pub struct Greeter {
    max_names: usize,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let mut requests = request.into_inner();
        let mut names = Vec::new();
        // `message()` awaits the next one; `None` means the client closed its half.
        while let Some(request) = requests.message().await? {
            if names.len() == self.max_names {
                let limit = self.max_names;
                return Err(Status::resource_exhausted(format!(
                    "at most {limit} names per call"
                )));
            }
            names.push(request.name);
        }
        Ok(Response::new(SayHelloResponse {
            message: greeting(&names),
            greeted_count: names.len().try_into().unwrap_or(u32::MAX),
        }))
    }
}

/// One greeting for everyone: `Hello, nobody!`, `Hello, a!`, `Hello, a and b!`,
/// `Hello, a, b and c!`.
pub fn greeting(names: &[String]) -> String {
    match names {
        [] => "Hello, nobody!".to_owned(),
        [only] => format!("Hello, {only}!"),
        [first @ .., last] => format!("Hello, {} and {last}!", first.join(", ")),
    }
}
// ANCHOR_END: greeter

impl Greeter {
    /// A greeter that refuses calls with more than `max_names` names.
    pub fn new(max_names: usize) -> Self {
        Self { max_names }
    }
}

/// The server's own flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Most names one call may stream; more is `RESOURCE_EXHAUSTED`.
    #[arg(long, default_value_t = 1000)]
    pub max_names: usize,
}

// ANCHOR: serve
/// Serves `greeter` until `shutdown`, then lets calls in progress finish.
pub async fn serve_with(
    listener: TcpListener,
    greeter: Greeter,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    let incoming = server::incoming(listener);
    let mut builder = Server::builder();
    let router = builder.add_service(GreeterServiceServer::new(greeter));
    router
        .serve_with_incoming_shutdown(incoming, shutdown.wait())
        .await?;
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: client
/// This lesson for `lesson_kit::run`: the server above, and a client that
/// streams its names.
#[derive(Debug)]
pub struct AsyncClientStreaming;

impl Lesson for AsyncClientStreaming {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        ServerFlags { max_names }: ServerFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        serve_with(listener, Greeter::new(max_names), shutdown).await
    }

    /// Sends every name as its own message, then prints the one answer.
    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let mut client = GreeterServiceClient::connect(url).await?;
        let requests = flags.names.into_iter().map(|name| SayHelloRequest { name });
        let reply = client
            .say_hello(tokio_stream::iter(requests))
            .await?
            .into_inner();
        console.line(format!(
            "Greeter client received: {} (greeted_count = {})",
            reply.message, reply.greeted_count
        ));
        Ok(())
    }
}
// ANCHOR_END: client

/// Which names the client streams.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Names to stream, comma-separated; `--names` alone streams none.
    #[arg(long, value_delimiter = ',', num_args = 0.., default_value = "a,b,c")]
    pub names: Vec<String>,
}
