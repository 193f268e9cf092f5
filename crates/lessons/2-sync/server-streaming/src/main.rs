//! `cargo run -p sync-server-streaming [-- server | client] [flags]`: lesson-kit
//! glue (the command line, the demo, Ctrl-C) around the listings in `server.rs`
//! and `client.rs` (see the crate docs).

use lesson_kit::{Console, Lesson, ShutdownSignal};
use sync_kit::{DEFAULT_MAX_WORKERS, at_least_one, run_blocking};
use sync_server_streaming::{client, server};
use tokio::net::TcpListener;

/// The server's flags.
#[derive(Debug, Clone, clap::Args)]
struct ServerFlags {
    /// Handlers that may run at once (the tutorial's `max_workers`).
    #[arg(long, default_value_t = DEFAULT_MAX_WORKERS, value_parser = at_least_one())]
    max_workers: usize,
}

/// The client's flags.
#[derive(Debug, Clone, clap::Args)]
struct ClientFlags {
    /// Who to greet.
    #[arg(long, default_value = "Jack")]
    name: String,
}

/// The lesson as `lesson_kit::run` sees it.
struct SyncServerStreaming;

impl Lesson for SyncServerStreaming {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        flags: ServerFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        server::serve(listener, flags.max_workers, shutdown.wait())
            .await
            .map_err(anyhow::Error::from_boxed)
    }

    /// The blocking client, on a thread of its own (blocking code must not
    /// run on the async runtime).
    async fn client(url: String, flags: ClientFlags, _: Console) -> anyhow::Result<()> {
        run_blocking(move || client::run(&url, &flags.name)).await
    }
}

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<SyncServerStreaming>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
