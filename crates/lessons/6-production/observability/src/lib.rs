//! Chapter 6, running it for real: traces and metrics.
//!
//! - [`propagation`]: W3C `traceparent` in and out of gRPC metadata.
//! - [`rpc_span`]: a tower layer giving each call a span with OpenTelemetry's RPC
//!   attributes, on the server (continuing the caller's trace) and the client.
//! - [`telemetry`]: `tracing` + `tracing-opentelemetry` + the OTLP/gRPC exporter,
//!   configured by `OTEL_*` environment variables.
//! - [`metrics`]: grpc-ecosystem's server metrics from a tower layer, on `/metrics`.
//! - [`greeter`] and [`server`]: a front Greeter calling a downstream one.
//!
//! `cargo run -p observability` runs client → front → backend in one process,
//! exports the spans to a small receiver ([`collector`]) and prints the trace
//! trees and the front's `grpc_server_handled_total` lines. `server` and `client`
//! export wherever `OTEL_EXPORTER_OTLP_ENDPOINT` says.

pub mod collector;
pub mod greeter;
pub mod metrics;
pub mod propagation;
pub mod rpc_span;
pub mod server;
pub mod telemetry;

use std::net::SocketAddr;

use anyhow::Context as _;
use helloworld_proto::v1::SayHelloRequest;
use lesson_kit::cli::Mode;
use lesson_kit::{Console, Lesson, RunningServer, ShutdownSignal};
use tokio::net::TcpListener;
use tonic::transport::Channel;

/// The observability lesson; see the crate docs.
#[derive(Debug)]
pub struct Observability;

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Where `/metrics` is served (plain HTTP).
    #[arg(long, default_value = "127.0.0.1:9464")]
    pub metrics_addr: SocketAddr,
    /// A Greeter to pass every call on to (`http://host:port`); none: answer here.
    #[arg(long)]
    pub downstream: Option<String>,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// The name to greet; the client then sends an empty one, which is refused.
    #[arg(long, default_value = "Jack")]
    pub name: String,
}

impl Lesson for Observability {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        flags: ServerFlags,
        _console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let metrics = TcpListener::bind(flags.metrics_addr)
            .await
            .with_context(|| format!("cannot serve /metrics on {}", flags.metrics_addr))?;
        tracing::info!("metrics on http://{}/metrics", metrics.local_addr()?);
        server::serve(listener, metrics, flags.downstream, shutdown.wait()).await
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let mut client = greeter::traced_client(Channel::from_shared(url)?.connect().await?);
        for name in [flags.name, String::new()] {
            match client.say_hello(SayHelloRequest { name }).await {
                Ok(reply) => console.line(format!(
                    "Greeter client received: {}",
                    reply.into_inner().message
                )),
                Err(status) => {
                    console.line(format!("status {:?}: {}", status.code(), status.message()))
                }
            }
        }
        Ok(())
    }
}

/// What `main` runs: tracing set up around the lesson, and flushed at the end.
///
/// The demo exports to its own receiver unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
pub fn main(mode: Mode<ServerFlags, ClientFlags>) -> anyhow::Result<()> {
    let own_receiver = match &mode {
        Mode::Demo { .. } if std::env::var_os("OTEL_EXPORTER_OTLP_ENDPOINT").is_none() => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            let endpoint = format!("http://{}", listener.local_addr()?);
            // SAFETY: no other thread exists yet (the runtime starts below).
            unsafe { std::env::set_var("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint) };
            listener.set_nonblocking(true)?;
            Some(listener)
        }
        _ => None,
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let outcome = runtime.block_on(async {
        let provider = telemetry::init()?;
        let outcome = match mode {
            Mode::Demo { client, .. } => demo(client, own_receiver, &provider).await,
            mode => lesson_kit::lesson::run_mode::<Observability>(mode).await,
        };
        // Sends the spans still batched; a server stopped by SIGTERM gets here too.
        provider.shutdown()?;
        outcome
    });
    if let Err(error) = outcome {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
    Ok(())
}

/// Client → front → backend in this process, then what the receiver and `/metrics` saw.
async fn demo(
    client: ClientFlags,
    own_receiver: Option<std::net::TcpListener>,
    provider: &opentelemetry_sdk::trace::SdkTracerProvider,
) -> anyhow::Result<()> {
    let received = match own_receiver {
        Some(listener) => Some(collector::start(TcpListener::from_std(listener)?)),
        None => None,
    };
    let console = Console::stdout();
    let backend = start_server(None).await?;
    let (front, front_metrics) = start_server(Some(backend.0.url(false))).await?;
    Observability::client(front.url(false), client, console.clone()).await?;

    console.line("front's /metrics, grpc_server_handled_total:");
    let text = scrape(front_metrics).await?;
    let mut handled: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("grpc_server_handled_total"))
        .collect();
    handled.sort();
    for line in handled {
        console.line(format!("  {line}"));
    }
    front.stop().await?;
    backend.0.stop().await?;

    if let Some(received) = received {
        provider.force_flush()?;
        let spans = received.spans();
        console.line(format!("the OTLP receiver got {} spans:", spans.len()));
        for line in collector::trees(&spans) {
            console.line(line);
        }
    }
    Ok(())
}

async fn start_server(downstream: Option<String>) -> anyhow::Result<(RunningServer, SocketAddr)> {
    let metrics = TcpListener::bind("127.0.0.1:0").await?;
    let metrics_addr = metrics.local_addr()?;
    let running = RunningServer::start(move |listener, shutdown| {
        server::serve(listener, metrics, downstream, shutdown.wait())
    })
    .await?;
    Ok((running, metrics_addr))
}

/// `GET /metrics` over a plain socket: a test's and the demo's scraper.
pub async fn scrape(addr: SocketAddr) -> anyhow::Result<String> {
    http_get(addr, "/metrics").await
}

/// A plain HTTP/1.0 GET (no chunked answers, the server closes), body on 200 only.
pub async fn http_get(addr: SocketAddr, path_and_query: &str) -> anyhow::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!("GET {path_and_query} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or_else(|| anyhow::anyhow!("no HTTP response from {addr}"))?;
    anyhow::ensure!(
        head.contains(" 200 "),
        "GET {path_and_query} from {addr}: {head}\n{body}"
    );
    Ok(body.to_owned())
}
