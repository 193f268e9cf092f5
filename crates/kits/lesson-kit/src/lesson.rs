//! The shape of a lesson, and the one runner that gives every lesson its CLI.

use std::future::Future;

use tokio::net::TcpListener;

use crate::cli::{self, Mode};
use crate::{Console, RunningServer, ShutdownSignal, addr, server};

/// What a lesson provides: a server half and a client half.
///
/// Both halves take a [`Console`] for everything they print, so the demo prints to
/// the terminal and tests compare the very same lines.
pub trait Lesson {
    /// The server half's own flags (`clap::Args`; use [`cli::NoFlags`] for none).
    type ServerFlags: clap::Args + Send + 'static;
    /// The client half's own flags.
    type ClientFlags: clap::Args + Send + 'static;
    /// Whether clients dial `https://` by default.
    const TLS: bool = false;
    /// How many consecutive ports the demo's server gets, bound up front (a
    /// server of several instances asks for the others with `server::bind`).
    const DEMO_PORTS: u16 = 1;

    /// Serves on `listener` until `shutdown` completes, then drains in-flight calls.
    fn serve(
        listener: TcpListener,
        flags: Self::ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> impl Future<Output = anyhow::Result<()>> + Send + 'static;

    /// Calls the server at `url` and prints what the tutorial's client prints.
    fn client(
        url: String,
        flags: Self::ClientFlags,
        console: Console,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// Parses the command line and runs the lesson `L`; what a lesson's `main` calls.
///
/// `name` and `about` are the lesson crate's `CARGO_PKG_NAME` and `CARGO_PKG_DESCRIPTION`.
/// A failure is printed as one line, `error: …: cause`, and the process exits with 1
/// (a learner needs the reason, not a backtrace).
pub fn run<L: Lesson>(name: &'static str, about: &'static str) -> anyhow::Result<()> {
    crate::logging::init();
    let mode = cli::parse::<L::ServerFlags, L::ClientFlags>(name, about);
    let runtime = tokio::runtime::Runtime::new()?;
    if let Err(error) = runtime.block_on(run_mode::<L>(mode)) {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
    Ok(())
}

/// Runs one parsed mode on the current tokio runtime.
pub async fn run_mode<L: Lesson>(mode: Mode<L::ServerFlags, L::ClientFlags>) -> anyhow::Result<()> {
    match mode {
        Mode::Server { listen, flags } => {
            // Signals first: a SIGTERM right after "listening on" stops the server
            // gracefully instead of killing it.
            let shutdown = ShutdownSignal::from_os();
            let listener = server::bind(listen.addr).await?;
            L::serve(listener, flags, Console::stdout(), shutdown).await
        }
        Mode::Client { connect, flags } => {
            L::client(
                addr::client_url(&connect.addr, L::TLS),
                flags,
                Console::stdout(),
            )
            .await
        }
        Mode::Demo { server, client } => {
            let running = RunningServer::start_with_ports(L::DEMO_PORTS, |listener, shutdown| {
                L::serve(listener, server, Console::stdout(), shutdown)
            })
            .await?;
            let url = running.url(L::TLS);
            running
                .run_client(L::client(url, client, Console::stdout()))
                .await
        }
    }
}
