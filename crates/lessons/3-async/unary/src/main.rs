//! `cargo run -p async-unary [-- server|client] [flags]`: lesson-kit glue around
//! the listings in `server.rs` and `client.rs` (see the crate docs).

use std::time::Duration;

use async_unary::{IN_FLIGHT_HEADER, call_at_once, client, counted, memory, server};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use lesson_kit::{Console, InFlight, InFlightLayer, Lesson, ShutdownSignal};
use tokio::net::TcpListener;

/// Counts heap bytes for `--report-memory-at`; otherwise it is the system allocator.
#[global_allocator]
static ALLOCATOR: memory::CountingAllocator = memory::CountingAllocator;

/// The server's own flags.
#[derive(Debug, Clone, clap::Args)]
struct ServerFlags {
    /// Time each call spends working, as an async sleep: `0s`, `50ms`, `1s`.
    #[arg(long, default_value = "0s", value_parser = humantime::parse_duration)]
    work_delay: Duration,
    /// Count the calls in progress and tell each client the count in the
    /// `x-in-flight` header (a layer outside the listed server). Off, the server
    /// is exactly the listing, which is what benchmarks measure.
    #[arg(long)]
    count_calls: bool,
    /// Print the server's memory growth per waiting call once this many calls
    /// are in progress at once (use with `--work-delay` and a `--concurrent`
    /// client; implies `--count-calls`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..))]
    report_memory_at: Option<u64>,
}

/// The client's flags: the tutorial's name, and the size of a burst.
#[derive(Debug, Clone, clap::Args)]
struct ClientFlags {
    /// Who to greet (the tutorial's async client says `jack`).
    #[arg(long, default_value = "jack")]
    name: String,
    /// How many calls to make at once over one connection; 1 is the tutorial's client.
    ///
    /// At most 1000: a few thousand new streams at once on one connection trip
    /// h2's flood protection (`GOAWAY ENHANCE_YOUR_CALM`).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    concurrent: u32,
}

/// The lesson as `lesson_kit::run` sees it.
struct AsyncUnary;

impl Lesson for AsyncUnary {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    /// The listed server; with `--count-calls`, behind a layer that counts calls
    /// in progress and tells each client the count in the `x-in-flight` header.
    async fn serve(
        listener: TcpListener,
        ServerFlags {
            work_delay,
            count_calls,
            report_memory_at,
        }: ServerFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        if !count_calls && report_memory_at.is_none() {
            return Ok(server::serve(listener, work_delay, shutdown.wait()).await?);
        }
        let gauge = InFlight::new();
        if let Some(calls) = report_memory_at {
            tokio::spawn(memory::report(gauge.clone(), calls as usize));
        }
        let layer = InFlightLayer::new(gauge).with_header(IN_FLIGHT_HEADER);
        counted::serve(listener, work_delay, layer, shutdown.wait()).await
    }

    /// The listed client; with `--concurrent N`, a burst of N calls instead.
    async fn client(url: String, flags: ClientFlags, _: Console) -> anyhow::Result<()> {
        if flags.concurrent > 1 {
            let client = GreeterServiceClient::connect(url).await?;
            let burst = call_at_once(client, &flags.name, flags.concurrent).await?;
            for line in burst.lines() {
                println!("{line}");
            }
            return Ok(());
        }
        client::run(url, flags.name)
            .await
            .map_err(|error| anyhow::anyhow!(error))
    }
}

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<AsyncUnary>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
