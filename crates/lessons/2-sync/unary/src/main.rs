//! `cargo run -p sync-unary [-- server | client] [flags]`: lesson-kit glue (the
//! command line, the demo, Ctrl-C) around the listings in `server.rs` and
//! `client.rs` (see the crate docs).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use lesson_kit::{Console, Lesson, ShutdownSignal};
use sync_kit::{DEFAULT_MAX_WORKERS, at_least_one, run_blocking};
use sync_unary::{client, server};
use tokio::net::TcpListener;

/// The server's flags.
#[derive(Debug, Clone, clap::Args)]
struct ServerFlags {
    /// Handlers that may run at once (the tutorial's `max_workers`).
    #[arg(long, default_value_t = DEFAULT_MAX_WORKERS, value_parser = at_least_one())]
    max_workers: usize,
    /// How long each call works before replying, e.g. `1s` or `50ms`.
    #[arg(long, default_value = "0s", value_parser = humantime::parse_duration)]
    work_delay: Duration,
}

/// The client's flags.
#[derive(Debug, Clone, clap::Args)]
struct ClientFlags {
    /// Who to greet.
    #[arg(long, default_value = "Jack")]
    name: String,
    /// Read the name from this file instead (for names longer than a command line allows).
    #[arg(long, conflicts_with = "name")]
    name_file: Option<PathBuf>,
    /// Calls to make at once, each from its own thread; above 1, prints a summary.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    concurrent: u32,
}

/// The lesson as `lesson_kit::run` sees it.
struct SyncUnary;

impl Lesson for SyncUnary {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        flags: ServerFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        server::serve(
            listener,
            flags.max_workers,
            flags.work_delay,
            shutdown.wait(),
        )
        .await
        .map_err(anyhow::Error::from_boxed)
    }

    /// The blocking client, on a thread of its own (blocking code must not
    /// run on the async runtime).
    async fn client(url: String, flags: ClientFlags, _: Console) -> anyhow::Result<()> {
        let name = match &flags.name_file {
            Some(path) => std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the name from {}", path.display()))?,
            None => flags.name,
        };
        run_blocking(move || match flags.concurrent {
            1 => client::run(&url, &name),
            calls => client::run_concurrent(&url, &name, calls),
        })
        .await
    }
}

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<SyncUnary>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}

#[cfg(test)]
mod tests {
    use super::{ClientFlags, ServerFlags};

    #[test]
    fn the_command_line_rejects_zero_calls_and_parses_durations() {
        let command = lesson_kit::cli::command::<ServerFlags, ClientFlags>("sync-unary", "test");
        command.clone().debug_assert();
        let parses = |args: &[&str]| command.clone().try_get_matches_from(args).is_ok();
        assert!(!parses(&["sync-unary", "client", "--concurrent", "0"]));
        assert!(!parses(&["sync-unary", "server", "--work-delay", "soon"]));
        assert!(!parses(&["sync-unary", "server", "--max-workers", "0"]));
        assert!(parses(&["sync-unary", "server", "--work-delay", "50ms"]));
    }
}
