//! Chapter 2, sync programming: bidi `SayHello` and the tutorial's flow-control
//! experiment.
//!
//! The client streams 25 requests of 4 000 characters; the server waits 5 s
//! before reading, then reads, works 1 s and replies per request. Both sides keep
//! HTTP/2's windows at 65 535 bytes (adaptive windows, BDP probing, off), so the
//! client's first requests fill the server's window and the client then has to
//! wait: back-pressure. The client's log shows it; the flow-control page of the
//! book explains every byte.
//!
//! ```text
//! cargo run -p sync-bidi-streaming                                         # 30 s, the tutorial's timing
//! cargo run -p sync-bidi-streaming -- --initial-delay 1s --work-delay 50ms # quicker
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use lesson_kit::clock::stamped;
use lesson_kit::server::{announce, incoming};
use lesson_kit::{Console, InFlight, Lesson, ShutdownSignal};
use sync_kit::{
    BlockingChannel, DEFAULT_MAX_WORKERS, ResponseStream, WorkerPool, after_yield, at_least_one,
    run_blocking,
};
use tokio::net::TcpListener;
use tonic::transport::{Endpoint, Server};
use tonic::{Request, Response, Status, Streaming};

/// HTTP/2's default window, in bytes, which the tutorial keeps by turning
/// BDP probing off: the most a peer may send before the reader catches up.
pub const WINDOW: u32 = 65_535;

/// Both sides log every 5th message, as the tutorial does.
const LOG_EVERY: usize = 5;

/// What the server replies to every request.
const REPLY: &str = "Hello";

// ANCHOR: greeter
/// The tutorial's servicer, in plain blocking Rust.
#[derive(Debug, Clone)]
pub struct Greeter {
    /// How long to wait before reading anything (the tutorial's 5 s).
    pub initial_delay: Duration,
    /// Pretend work per request (the tutorial's 1 s).
    pub work_delay: Duration,
    /// Where the log lines go.
    pub console: Console,
    /// Requests read so far, so a test can tell when reading started.
    pub requests_read: Arc<AtomicUsize>,
}

impl Greeter {
    /// `SayHello`: the client's requests in (an iterator), replies out (another).
    pub fn say_hello<I>(&self, requests: I) -> impl Iterator<Item = SayHelloResponse> + use<I>
    where
        I: Iterator<Item = SayHelloRequest>,
    {
        // Not reading yet: the client's requests pile up in the windows.
        std::thread::sleep(self.initial_delay);
        let (console, work_delay, read) = (
            self.console.clone(),
            self.work_delay,
            self.requests_read.clone(),
        );
        let mut received = 0;
        let replies = requests.enumerate().map(move |(index, request)| {
            let i = index + 1;
            read.fetch_add(1, Ordering::SeqCst);
            received += request.name.chars().count();
            if i % LOG_EVERY == 0 {
                console.stamped(format!("Request {i}:   Received {received} char in total"));
            }
            std::thread::sleep(work_delay);
            SayHelloResponse {
                message: REPLY.into(),
            }
        });
        // Python logs "Sent" after `yield`: once the transport took the reply.
        let console = self.console.clone();
        after_yield(replies, move |i| {
            if i % LOG_EVERY == 0 {
                let sent = REPLY.len() * i;
                console.stamped(format!("Request {i}:   Sent {sent} char in total\n"));
            }
        })
    }
}
// ANCHOR_END: greeter

// ANCHOR: service
/// What tonic calls: one pool worker runs the whole conversation.
struct OnWorkers {
    greeter: Greeter,
    pool: WorkerPool,
}

#[tonic::async_trait]
impl GreeterService for OnWorkers {
    type SayHelloStream = ResponseStream<SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let greeter = self.greeter.clone();
        let replies = self
            .pool
            .bidi(request.into_inner(), move |requests| {
                greeter.say_hello(requests)
            })
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
    /// How long the server waits before reading requests, e.g. `5s`.
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
    pub initial_delay: Duration,
    /// How long the server works on each request, e.g. `1s`.
    #[arg(long, default_value = "1s", value_parser = humantime::parse_duration)]
    pub work_delay: Duration,
    /// Counts busy workers; a test keeps a clone to read it (not a flag).
    #[arg(skip)]
    pub busy: InFlight,
    /// Counts requests read; a test keeps a clone to read it (not a flag).
    #[arg(skip)]
    pub requests_read: Arc<AtomicUsize>,
}

// ANCHOR: serve
/// Serves the greeter with the tutorial's fixed 65 535-byte windows.
pub async fn serve(
    listener: TcpListener,
    flags: ServerFlags,
    console: Console,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    let greeter = Greeter {
        initial_delay: flags.initial_delay,
        work_delay: flags.work_delay,
        console: console.clone(),
        requests_read: flags.requests_read,
    };
    let pool = WorkerPool::with_gauge(flags.max_workers, flags.busy);
    announce(&listener, &console);
    Server::builder()
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW)
        .http2_adaptive_window(Some(false))
        .add_service(GreeterServiceServer::new(OnWorkers { greeter, pool }))
        .serve_with_incoming_shutdown(incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}
// ANCHOR_END: serve

/// The client's flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// How many requests to stream (the tutorial's `max_iter`).
    #[arg(long, default_value_t = 25)]
    pub requests: usize,
    /// Characters per request (the tutorial's `data_size`).
    #[arg(long, default_value_t = 4000)]
    pub size: usize,
}

// ANCHOR: requests
/// The tutorial's `get_iter_data()`: each request is made (and every 5th logged)
/// only when the transport asks for it, so the log shows when sending stalls.
pub fn requests(
    flags: &ClientFlags,
    console: Console,
) -> impl Iterator<Item = SayHelloRequest> + use<> {
    let (count, size) = (flags.requests, flags.size);
    let data = "1".repeat(size);
    (1..=count).map(move |i| {
        if i % LOG_EVERY == 0 {
            let sent = size * i;
            console.line(format!(
                "\n{}",
                stamped(format!("Request {i}: Sent {sent} char in total"))
            ));
        }
        SayHelloRequest { name: data.clone() }
    })
}
// ANCHOR_END: requests

// ANCHOR: client
/// The tutorial's `run()`: stream the requests, count the replies.
pub fn run_client(url: &str, flags: &ClientFlags, console: &Console) -> anyhow::Result<()> {
    console.line("Will try to greet world ...");
    let endpoint = Endpoint::from_shared(url.to_owned())?
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW)
        .http2_adaptive_window(false);
    let channel = BlockingChannel::connect(endpoint)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let requests = requests(flags, console.clone());
    let responses = channel.bidi(requests, |stream| stub.say_hello(stream))?;
    for (index, response) in responses.enumerate() {
        response?;
        let i = index + 1;
        if i % LOG_EVERY == 0 {
            console.stamped(format!("Received {i} responses\n"));
        }
    }
    Ok(())
}
// ANCHOR_END: client

/// The lesson, for `lesson_kit::run`.
#[derive(Debug)]
pub struct SyncBidiStreaming;

impl Lesson for SyncBidiStreaming {
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
