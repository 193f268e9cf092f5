//! Chapter 3, async programming: server-streaming `SayHello` on tokio.
//!
//! The tutorial's `grpc.aio` servicer is an async generator (`yield` inside
//! `async def`). `async_stream::stream!` is the same idea in Rust: a block that
//! `yield`s messages and `.await`s in between. tonic polls the stream as the
//! client reads; when the client goes away, tonic drops the stream and the
//! generator stops at its next `.await`, mid-loop. [`Greeter::production`]
//! counts what the generators produced and how many have stopped, so a test can
//! see it happen.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use lesson_kit::{Console, Lesson, ShutdownSignal, server};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_stream::Stream;
use tonic::transport::Server;
use tonic::{Request, Response, Status};

/// The stream a call returns: boxed, because an `async_stream` block has no name.
pub type GreetingStream = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

// ANCHOR: greeter
/// The servicer: an async generator of `count` greetings per call.
#[derive(Debug, Clone)]
pub struct Greeter {
    count: u32,
    message_delay: Duration,
    production: Production,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = GreetingStream;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<GreetingStream>, Status> {
        let name = request.into_inner().name;
        let Self {
            count,
            message_delay,
            production,
        } = self.clone();
        let greetings = async_stream::stream! {
            // Dropped with the stream: also when the client hangs up half-way.
            let _producing = production.start();
            for i in 0..count {
                if !message_delay.is_zero() {
                    tokio::time::sleep(message_delay).await;
                }
                production.produced.fetch_add(1, Ordering::SeqCst);
                yield Ok(SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                });
            }
        };
        Ok(Response::new(Box::pin(greetings)))
    }
}
// ANCHOR_END: greeter

/// What the server's generators have done: a shared handle to read while serving.
#[derive(Debug, Clone)]
pub struct Production {
    produced: Arc<AtomicU64>,
    started: Arc<AtomicU64>,
    stopped: Arc<watch::Sender<u64>>,
}

/// Counts its generator as stopped when dropped, however the stream ended.
struct Producing(Arc<watch::Sender<u64>>);

impl Drop for Producing {
    fn drop(&mut self) {
        self.0.send_modify(|stopped| *stopped += 1);
    }
}

impl Production {
    fn start(&self) -> Producing {
        self.started.fetch_add(1, Ordering::SeqCst);
        Producing(self.stopped.clone())
    }

    /// Greetings produced so far, over all calls.
    pub fn produced(&self) -> u64 {
        self.produced.load(Ordering::SeqCst)
    }

    /// Generators that are still running: started and not yet dropped.
    pub fn running(&self) -> u64 {
        self.started.load(Ordering::SeqCst) - *self.stopped.borrow()
    }

    /// Waits until `count` generators have stopped (put a timeout around it).
    pub async fn wait_stopped(&self, count: u64) {
        let mut stopped = self.stopped.subscribe();
        // The sender lives in `self`, so this only returns once the count is reached.
        let _ = stopped.wait_for(|stopped| *stopped >= count).await;
    }
}

impl Default for Production {
    fn default() -> Self {
        Self {
            produced: Arc::default(),
            started: Arc::default(),
            stopped: Arc::new(watch::Sender::new(0)),
        }
    }
}

impl Greeter {
    /// A greeter streaming `count` greetings, pausing `message_delay` before each.
    pub fn new(count: u32, message_delay: Duration) -> Self {
        Self {
            count,
            message_delay,
            production: Production::default(),
        }
    }

    /// A shared handle on what this greeter's generators produce.
    pub fn production(&self) -> Production {
        self.production.clone()
    }
}

/// The server's own flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Greetings per call (the tutorial's async server sends 3).
    #[arg(long, default_value_t = 3)]
    pub count: u32,
    /// Pause before each greeting: `0s`, `100ms`.
    #[arg(long, default_value = "0s", value_parser = humantime::parse_duration)]
    pub message_delay: Duration,
}

// ANCHOR: serve
/// Serves `greeter` until `shutdown`; streams in progress run to their end first.
pub async fn serve_with(
    listener: TcpListener,
    greeter: Greeter,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    let service = GreeterServiceServer::new(greeter);
    Server::builder()
        .add_service(service)
        .serve_with_incoming_shutdown(server::incoming(listener), shutdown.wait())
        .await
        .map_err(Into::into)
}
// ANCHOR_END: serve

// ANCHOR: client
/// Wires the streaming greeter and its client into `lesson_kit::run`.
#[derive(Debug)]
pub struct AsyncServerStreaming;

impl Lesson for AsyncServerStreaming {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        ServerFlags {
            count,
            message_delay,
        }: ServerFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        serve_with(listener, Greeter::new(count, message_delay), shutdown).await
    }

    /// `async for response in responses: print(...)`: one line per greeting.
    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let mut client = GreeterServiceClient::connect(url).await?;
        let request = SayHelloRequest { name: flags.name };
        let mut greetings = client.say_hello(request).await?.into_inner();
        while let Some(greeting) = greetings.message().await? {
            console.line(format!("Greeter client received: {}", greeting.message));
        }
        Ok(())
    }
}
// ANCHOR_END: client

/// What the client asks for.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// The name every greeting carries (`jack` in the tutorial).
    #[arg(long, default_value = "jack")]
    pub name: String,
}
