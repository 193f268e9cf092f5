//! Chapter 3, async programming: unary `SayHello` on tokio.
//!
//! The tutorial's `grpc.aio` server awaits inside `async def SayHello`; here the
//! handler is an `async fn` and tokio runs it. While a call awaits (here: a
//! `--work-delay` sleep) its thread serves other calls, so N slow calls are all in
//! progress at once on one server. The [`Greeter`] counts them with an
//! [`InFlight`] gauge and tells each client the count in a response header, so
//! "high concurrency" is a number the client prints, not a claim.

use std::sync::Arc;
use std::time::{Duration, Instant};

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use lesson_kit::{Console, InFlight, Lesson, ShutdownSignal, server};
use tokio::net::TcpListener;
use tokio::sync::Barrier;
use tonic::transport::{Channel, Server};
use tonic::{Request, Response, Status};

/// Response header with the number of calls the server had in progress when the
/// call started (this one included). Servers that don't send it are fine too.
pub const IN_FLIGHT_HEADER: &str = "x-in-flight";

// ANCHOR: greeter
/// The servicer: `Greeter` with an `async def SayHello`, plus a gauge.
#[derive(Debug, Clone, Default)]
pub struct Greeter {
    work_delay: Duration,
    in_flight: InFlight,
    rendezvous: Option<Arc<Barrier>>,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let _in_progress = self.in_flight.enter();
        let in_flight_now = self.in_flight.current();
        if let Some(rendezvous) = &self.rendezvous {
            rendezvous.wait().await;
        }
        if !self.work_delay.is_zero() {
            // An async sleep gives the thread back: other calls run meanwhile.
            tokio::time::sleep(self.work_delay).await;
        }
        let name = request.into_inner().name;
        let mut response = Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        });
        response
            .metadata_mut()
            .insert(IN_FLIGHT_HEADER, in_flight_now.into());
        Ok(response)
    }
}
// ANCHOR_END: greeter

impl Greeter {
    /// A greeter whose every call takes `work_delay` (zero: the tutorial's greeter).
    pub fn new(work_delay: Duration) -> Self {
        Self {
            work_delay,
            ..Self::default()
        }
    }

    /// Makes every call wait at `rendezvous` after it counts itself in progress.
    ///
    /// For tests: a barrier for N parties opens only once N calls are in progress
    /// at the same time, which proves concurrency by counting, not by timing.
    pub fn with_rendezvous(mut self, rendezvous: Arc<Barrier>) -> Self {
        self.rendezvous = Some(rendezvous);
        self
    }

    /// The gauge of calls in progress (a shared handle: read it while serving).
    pub fn in_flight(&self) -> InFlight {
        self.in_flight.clone()
    }
}

/// The server's own flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Time each call spends working, as an async sleep: `0s`, `50ms`, `1s`.
    #[arg(long, default_value = "0s", value_parser = humantime::parse_duration)]
    pub work_delay: Duration,
}

// ANCHOR: serve
/// Serves `greeter` until `shutdown`, then lets in-flight calls finish.
///
/// The counterpart of `grpc.aio.server()` + `await server.start()` +
/// `await server.wait_for_termination()`: one future that tokio drives.
pub async fn serve_with(
    listener: TcpListener,
    greeter: Greeter,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    Server::builder()
        .add_service(GreeterServiceServer::new(greeter))
        .serve_with_incoming_shutdown(server::incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: client
/// The lesson as `lesson_kit::run` sees it: the server above, and the tutorial's client.
#[derive(Debug)]
pub struct AsyncUnary;

impl Lesson for AsyncUnary {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        ServerFlags { work_delay }: ServerFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        serve_with(listener, Greeter::new(work_delay), shutdown).await
    }

    /// One call, one printed line; or, with `--concurrent N`, a burst of N calls.
    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let mut client = GreeterServiceClient::connect(url).await?;
        if flags.concurrent > 1 {
            let burst = call_at_once(client, &flags.name, flags.concurrent).await?;
            burst.print(&console);
            return Ok(());
        }
        let request = SayHelloRequest { name: flags.name };
        let response = client.say_hello(request).await?;
        console.line(format!(
            "Greeter client received: {}",
            response.into_inner().message
        ));
        Ok(())
    }
}
// ANCHOR_END: client

/// The client's flags: the tutorial's name, and the size of a burst.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Who to greet (the tutorial's async client says `jack`).
    #[arg(long, default_value = "jack")]
    pub name: String,
    /// How many calls to make at once over one connection; 1 is the tutorial's client.
    ///
    /// At most 1000: a few thousand new streams at once on one connection trip
    /// h2's flood protection (`GOAWAY ENHANCE_YOUR_CALM`).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub concurrent: u32,
}

/// What a burst of simultaneous calls came back with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Burst {
    /// The calls made (all succeeded).
    pub calls: u32,
    /// The first response's message.
    pub message: String,
    /// The most calls the server said it had in progress, if it said so.
    pub server_peak: Option<u64>,
    /// From the first call sent to the last response received.
    pub wall_time: Duration,
}

// ANCHOR: burst
/// Makes `calls` calls at once over one HTTP/2 connection and waits for all.
///
/// The futures run concurrently inside this one task: each awaits its response
/// while the others are sent, like `asyncio.gather` over `stub.SayHello(...)`.
pub async fn call_at_once(
    client: GreeterServiceClient<Channel>,
    name: &str,
    calls: u32,
) -> Result<Burst, Status> {
    let started = Instant::now();
    let pending = (0..calls).map(|_| {
        let mut client = client.clone();
        let request = SayHelloRequest { name: name.into() };
        async move { client.say_hello(request).await }
    });
    let responses = futures::future::try_join_all(pending).await?;
    let wall_time = started.elapsed();

    let server_peak = responses
        .iter()
        .filter_map(|r| {
            r.metadata()
                .get(IN_FLIGHT_HEADER)?
                .to_str()
                .ok()?
                .parse()
                .ok()
        })
        .max();
    let message = responses
        .into_iter()
        .next()
        .map(|r| r.into_inner().message)
        .unwrap_or_default();
    Ok(Burst {
        calls,
        message,
        server_peak,
        wall_time,
    })
}
// ANCHOR_END: burst

impl Burst {
    /// Three lines: the answer, the server's count, the wall time.
    pub fn print(&self, console: &Console) {
        console.line(format!(
            "Greeter client received: {} (x{})",
            self.message, self.calls
        ));
        console.line(match self.server_peak {
            Some(peak) => format!("Server had at most {peak} calls in progress at once"),
            None => "Server did not report how many calls it had in progress".to_owned(),
        });
        console.line(format!(
            "{} calls took {:.2?} in total",
            self.calls, self.wall_time
        ));
    }
}
