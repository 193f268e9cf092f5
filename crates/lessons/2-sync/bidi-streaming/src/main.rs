//! `cargo run -p sync-bidi-streaming [-- server | client] [flags]`: lesson-kit
//! glue (the command line, the demo, Ctrl-C) around the listings in `server.rs`
//! and `client.rs` (see the crate docs).

use std::time::Duration;

use lesson_kit::{Console, Lesson, ShutdownSignal};
use sync_bidi_streaming::{client, server};
use sync_kit::{DEFAULT_MAX_WORKERS, at_least_one, run_blocking};
use tokio::net::TcpListener;

/// The server's flags.
#[derive(Debug, Clone, clap::Args)]
struct ServerFlags {
    /// Handlers that may run at once (the tutorial's `max_workers`).
    #[arg(long, default_value_t = DEFAULT_MAX_WORKERS, value_parser = at_least_one())]
    max_workers: usize,
    /// How long the server waits before reading requests, e.g. `5s`.
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
    initial_delay: Duration,
    /// How long the server works on each request, e.g. `1s`.
    #[arg(long, default_value = "1s", value_parser = humantime::parse_duration)]
    work_delay: Duration,
}

/// The client's flags.
#[derive(Debug, Clone, clap::Args)]
struct ClientFlags {
    /// How many requests to stream (the tutorial's `max_iter`).
    #[arg(long, default_value_t = 25)]
    requests: usize,
    /// Characters per request (the tutorial's `data_size`).
    #[arg(long, default_value_t = 4000)]
    size: usize,
}

/// The lesson as `lesson_kit::run` sees it.
struct SyncBidiStreaming;

impl Lesson for SyncBidiStreaming {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        flags: ServerFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let ServerFlags {
            max_workers,
            initial_delay,
            work_delay,
        } = flags;
        server::serve(
            listener,
            max_workers,
            initial_delay,
            work_delay,
            shutdown.wait(),
        )
        .await
        .map_err(anyhow::Error::from_boxed)
    }

    /// The blocking client, on a thread of its own (blocking code must not
    /// run on the async runtime).
    async fn client(url: String, flags: ClientFlags, _: Console) -> anyhow::Result<()> {
        run_blocking(move || client::run(&url, flags.requests, flags.size)).await
    }
}

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<SyncBidiStreaming>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
