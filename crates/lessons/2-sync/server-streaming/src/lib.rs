//! Chapter 2, sync programming: server-streaming `SayHello`, written as blocking Rust.
//!
//! The tutorial's point here is that streaming is iteration: the Python servicer
//! `yield`s five greetings and the client loops over the call's result. In Rust
//! the handler returns an [`Iterator`], `sync-kit` turns it into the response
//! stream (one `next()` per message the transport asks for), and the blocking
//! client gets an iterator back.
//!
//! ```text
//! cargo run -p sync-server-streaming
//! ```

use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use lesson_kit::server::{announce, incoming};
use lesson_kit::{Console, InFlight, Lesson, ShutdownSignal};
use sync_kit::{
    BlockingChannel, DEFAULT_MAX_WORKERS, ResponseStream, WorkerPool, at_least_one, run_blocking,
};
use tokio::net::TcpListener;
use tonic::transport::{Endpoint, Server};
use tonic::{Request, Response, Status};

/// How many greetings one call streams, as the tutorial's `range(5)`.
pub const GREETINGS: u32 = 5;

// ANCHOR: greeter
/// The tutorial's servicer, in plain blocking Rust.
#[derive(Debug, Clone, Copy, Default)]
pub struct Greeter;

impl Greeter {
    /// `SayHello`: one request in, an iterator of greetings out (Python's
    /// generator with `yield`). Nothing runs until the transport asks for a message.
    pub fn say_hello(
        &self,
        request: SayHelloRequest,
    ) -> impl Iterator<Item = SayHelloResponse> + use<> {
        (0..GREETINGS).map(move |i| SayHelloResponse {
            message: format!("Hello number {i}, {}!", request.name),
        })
    }
}
// ANCHOR_END: greeter

// ANCHOR: service
/// What tonic calls: the handler's iterator runs on a pool worker, which it
/// keeps until the iterator is done or the client is gone.
struct OnWorkers {
    greeter: Greeter,
    pool: WorkerPool,
}

#[tonic::async_trait]
impl GreeterService for OnWorkers {
    type SayHelloStream = ResponseStream<SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let greeter = self.greeter;
        let request = request.into_inner();
        let replies = self
            .pool
            .server_stream(move || greeter.say_hello(request))
            .await?;
        Ok(Response::new(replies))
    }
}
// ANCHOR_END: service

/// The server's flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Handlers that may run at once (the tutorial's `max_workers`).
    #[arg(long, default_value_t = DEFAULT_MAX_WORKERS, value_parser = at_least_one())]
    pub max_workers: usize,
    /// Counts busy workers; a test keeps a clone to read it (not a flag).
    #[arg(skip)]
    pub busy: InFlight,
}

/// Serves the greeter on `listener` until `shutdown`, as the tutorial's `server()`.
pub async fn serve(
    listener: TcpListener,
    flags: ServerFlags,
    console: Console,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    let service = OnWorkers {
        greeter: Greeter,
        pool: WorkerPool::with_gauge(flags.max_workers, flags.busy),
    };
    announce(&listener, &console);
    Server::builder()
        .add_service(GreeterServiceServer::new(service))
        .serve_with_incoming_shutdown(incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}

/// The client's flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Who to greet.
    #[arg(long, default_value = "Jack")]
    pub name: String,
}

// ANCHOR: client
/// The tutorial's `run()`: start the call, then loop over the replies.
pub fn run_client(url: &str, flags: &ClientFlags, console: &Console) -> anyhow::Result<()> {
    console.line("Will try to greet world ...");
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let request = SayHelloRequest {
        name: flags.name.clone(),
    };
    for response in channel.server_stream(stub.say_hello(request))? {
        console.line(format!("Greeter client received: {}", response?.message));
    }
    Ok(())
}
// ANCHOR_END: client

/// The lesson, for `lesson_kit::run`.
#[derive(Debug)]
pub struct SyncServerStreaming;

impl Lesson for SyncServerStreaming {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        serve(listener, flags, console, shutdown).await
    }

    /// Blocking code must not run on the async runtime: give it its own thread.
    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        run_blocking(move || run_client(&url, &flags, &console)).await
    }
}
