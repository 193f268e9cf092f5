//! Beyond the tutorial: graceful shutdown.
//!
//! Deploys, autoscalers and Kubernetes stop servers with SIGTERM, then SIGKILL a
//! little later. In between, a well-behaved server:
//!
//! 1. stops accepting connections (tonic closes the listening socket at once, so new
//!    clients get "connection refused" and try another instance);
//! 2. sends HTTP/2 `GOAWAY` on open connections, so clients open no new calls on them;
//! 3. lets every call in flight finish, unary and streaming, or reach its deadline;
//! 4. exits, at the latest after a grace period shorter than the orchestrator's
//!    ([`serve::serve`]), so an endless stream cannot keep it up.
//!
//! The demo's server asks itself to stop (`--stop-after`) while the client has
//! unary calls and a stream in flight; the client counts what it received, then
//! shows that a new connection is refused.

pub mod client;
pub mod in_flight;
pub mod serve;
pub mod service;

use helloworld_proto::{v1, v2};
use lesson_kit::{Console, Lesson, ShutdownSignal};
use tonic::service::Routes;

pub use client::ClientFlags;
pub use serve::Ending;
pub use service::Counters;

/// The graceful shutdown lesson; see the crate docs.
#[derive(Debug)]
pub struct GracefulShutdown;

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// How long each unary call works.
    #[arg(long, default_value = "300ms")]
    pub work: humantime::Duration,
    /// Pause between streamed greetings.
    #[arg(long, default_value = "50ms")]
    pub every: humantime::Duration,
    /// Greetings per stream.
    #[arg(long, default_value_t = 5)]
    pub messages: usize,
    /// After shutdown is asked for, how long calls still open may take before they are cut.
    #[arg(long, default_value = "10s")]
    pub grace: humantime::Duration,
    /// Ask for shutdown after this long, as a SIGTERM would (the demo uses it).
    #[arg(long)]
    pub stop_after: Option<humantime::Duration>,
}

/// The unary and streaming greeters, counting into `counters`.
pub fn routes(flags: &ServerFlags, counters: Counters, console: Console) -> Routes {
    let slow = service::SlowGreeter {
        work: flags.work.into(),
        counters: counters.clone(),
        console,
    };
    let streaming = service::StreamingGreeter {
        every: flags.every.into(),
        messages: flags.messages,
        counters,
    };
    Routes::new(v1::greeter_service_server::GreeterServiceServer::new(slow)).add_service(
        v2::greeter_service_server::GreeterServiceServer::new(streaming),
    )
}

/// Runs [`serve::serve`] until `shutdown`, and prints what was in flight when
/// it came and how the drain ended.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    flags: ServerFlags,
    console: Console,
    shutdown: ShutdownSignal,
    counters: Counters,
) -> anyhow::Result<Ending> {
    let routes = routes(&flags, counters.clone(), console.clone());
    let announced = {
        let (console, calls) = (console.clone(), counters.calls.clone());
        async move {
            shutdown.wait().await;
            console.line(format!(
                "server: shutting down, {} calls in flight",
                calls.current()
            ));
        }
    };
    let ending = serve::serve(listener, routes, announced, flags.grace.into()).await?;
    console.line(format!(
        "server: {ending:?}: {} calls completed, {} cut, {} messages streamed",
        counters.calls.completed(),
        counters.calls.abandoned(),
        counters.streamed()
    ));
    Ok(ending)
}

impl Lesson for GracefulShutdown {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let shutdown = shutdown.or_after(flags.stop_after.map(Into::into));
        serve_with(listener, flags, console, shutdown, Counters::default()).await?;
        Ok(())
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        client::run(url, flags, console).await
    }
}
