//! Chapter 2, sync programming: unary `SayHello`, written as blocking Rust.
//!
//! The tutorial's first sync example: a servicer whose `SayHello` returns a
//! greeting, served on a thread pool of 10 workers, and a client that calls it
//! once. Here the greeter is a plain `fn`; `sync-kit`'s [`WorkerPool`] runs it on
//! at most `--max-workers` threads, and its [`BlockingChannel`] makes the call.
//!
//! ```text
//! cargo run -p sync-unary                                      # demo
//! cargo run -p sync-unary -- --work-delay 1s --concurrent 25   # see the worker limit
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use lesson_kit::server::{announce, incoming};
use lesson_kit::{Console, InFlight, Lesson, ShutdownSignal};
use sync_kit::{BlockingChannel, DEFAULT_MAX_WORKERS, WorkerPool, at_least_one, run_blocking};
use tokio::net::TcpListener;
use tonic::transport::{Endpoint, Server};
use tonic::{Request, Response, Status};

// ANCHOR: greeter
/// The tutorial's servicer, in plain blocking Rust.
#[derive(Debug, Clone, Default)]
pub struct Greeter {
    /// Pretend work per call, so the worker limit can be seen (0 in the tutorial).
    pub work_delay: Duration,
}

impl Greeter {
    /// `SayHello`: one request in, one greeting out.
    pub fn say_hello(&self, request: SayHelloRequest) -> SayHelloResponse {
        std::thread::sleep(self.work_delay);
        SayHelloResponse {
            message: format!("Hello, {}!", request.name),
        }
    }
}
// ANCHOR_END: greeter

// ANCHOR: service
/// What tonic calls: each call is handed to a pool worker, where the blocking
/// [`Greeter`] runs (grpcio does the same with its `ThreadPoolExecutor`).
struct OnWorkers {
    greeter: Arc<Greeter>,
    pool: WorkerPool,
}

#[tonic::async_trait]
impl GreeterService for OnWorkers {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let greeter = self.greeter.clone();
        let request = request.into_inner();
        let reply = self
            .pool
            .unary(move || Ok(greeter.say_hello(request)))
            .await?;
        Ok(Response::new(reply))
    }
}
// ANCHOR_END: service

/// The server's flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Handlers that may run at once (the tutorial's `max_workers`).
    #[arg(long, default_value_t = DEFAULT_MAX_WORKERS, value_parser = at_least_one())]
    pub max_workers: usize,
    /// How long each call works before replying, e.g. `1s` or `50ms`.
    #[arg(long, default_value = "0s", value_parser = humantime::parse_duration)]
    pub work_delay: Duration,
    /// Counts busy workers; a test keeps a clone to read it (not a flag).
    #[arg(skip)]
    pub busy: InFlight,
}

// ANCHOR: serve
/// Serves the greeter on `listener` until `shutdown`, as the tutorial's `server()`.
pub async fn serve(
    listener: TcpListener,
    flags: ServerFlags,
    console: Console,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    let service = OnWorkers {
        greeter: Arc::new(Greeter {
            work_delay: flags.work_delay,
        }),
        pool: WorkerPool::with_gauge(flags.max_workers, flags.busy),
    };
    announce(&listener, &console);
    Server::builder()
        .add_service(GreeterServiceServer::new(service))
        .serve_with_incoming_shutdown(incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}
// ANCHOR_END: serve

/// The client's flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Who to greet.
    #[arg(long, default_value = "Jack")]
    pub name: String,
    /// Read the name from this file instead (for names longer than a command line allows).
    #[arg(long, conflicts_with = "name")]
    pub name_file: Option<std::path::PathBuf>,
    /// Calls to make at once, each from its own thread; above 1, prints a summary.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub concurrent: u32,
}

// ANCHOR: client
/// The tutorial's `run()`: one blocking call, then print the greeting.
pub fn run_client(url: &str, flags: &ClientFlags, console: &Console) -> anyhow::Result<()> {
    console.line("Will try to greet world ...");
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let request = SayHelloRequest {
        name: flags.name.clone(),
    };
    let response = channel.unary(stub.say_hello(request))?;
    console.line(format!("Greeter client received: {}", response.message));
    Ok(())
}
// ANCHOR_END: client

// ANCHOR: concurrent
/// `--concurrent N`: N threads each make the call at the same time, then one
/// summary line says how long all N took (the worker limit shows in that time).
pub fn run_concurrent(url: &str, flags: &ClientFlags, console: &Console) -> anyhow::Result<()> {
    console.line("Will try to greet world ...");
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let started = Instant::now();
    let replies: Vec<Result<SayHelloResponse, Status>> = std::thread::scope(|threads| {
        let calls: Vec<_> = (0..flags.concurrent)
            .map(|_| {
                threads.spawn(|| {
                    let mut stub = GreeterServiceClient::new(channel.channel());
                    let request = SayHelloRequest {
                        name: flags.name.clone(),
                    };
                    channel.unary(stub.say_hello(request))
                })
            })
            .collect();
        calls
            .into_iter()
            .map(|call| {
                call.join()
                    .unwrap_or_else(|_| Err(Status::internal("a client thread panicked")))
            })
            .collect()
    });
    let elapsed = started.elapsed();
    let replies = replies.into_iter().collect::<Result<Vec<_>, _>>()?;
    console.line(format!(
        "Greeter client received {} replies in {:.2}s",
        replies.len(),
        elapsed.as_secs_f64()
    ));
    Ok(())
}
// ANCHOR_END: concurrent

/// The lesson, for `lesson_kit::run`.
#[derive(Debug)]
pub struct SyncUnary;

impl Lesson for SyncUnary {
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
    async fn client(url: String, mut flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        if let Some(path) = &flags.name_file {
            flags.name = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the name from {}", path.display()))?;
        }
        run_blocking(move || {
            if flags.concurrent > 1 {
                run_concurrent(&url, &flags, &console)
            } else {
                run_client(&url, &flags, &console)
            }
        })
        .await
    }
}
