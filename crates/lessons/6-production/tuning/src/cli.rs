//! Glue, not lesson: the command line of `tuning` and `tuning-mimalloc` (the same
//! program with mimalloc as its allocator), one flag per tuning step.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::anyhow;
use lesson_kit::ShutdownSignal;
use lesson_kit::cli::Mode;
use tokio::task::JoinHandle;

use crate::server::{self, Settings};

/// HTTP/2's bounds on a frame's size (RFC 9113 §6.5.2); h2 panics outside them.
const FRAME_SIZES: std::ops::RangeInclusive<i64> = 16_384..=16_777_215;
/// HTTP/2's largest window (2^31 - 1); h2 refuses a larger one.
const WINDOWS: std::ops::RangeInclusive<i64> = 1..=2_147_483_647;

/// The server's flags: each is one step of the tuning page. None given is the
/// async-unary listing (tonic's defaults on a multi-thread runtime).
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// One current-thread runtime per core, each on its own SO_REUSEPORT socket,
    /// instead of one multi-thread runtime.
    #[arg(long)]
    per_core: bool,
    /// With --per-core: how many runtimes (default: the cores this process may use).
    #[arg(long, value_name = "N", requires = "per_core", value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
    /// Initial HTTP/2 stream window, bytes (tonic's default: 65535).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u32).range(WINDOWS))]
    stream_window: Option<u32>,
    /// Initial HTTP/2 connection window, bytes (tonic's default: 65535).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u32).range(WINDOWS))]
    connection_window: Option<u32>,
    /// Largest DATA frame the server accepts, bytes (16384 to 16777215).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u32).range(FRAME_SIZES))]
    max_frame_size: Option<u32>,
    /// Calls in flight per connection the server allows (default: no limit).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max_concurrent_streams: Option<u32>,
    /// Leave Nagle's algorithm on (the step that shows why it is off).
    #[arg(long)]
    no_nodelay: bool,
    /// hyper's BDP probing: windows that grow with the measured round trip.
    #[arg(long)]
    adaptive_window: bool,
}

impl ServerFlags {
    fn settings(&self) -> Settings {
        Settings {
            nodelay: !self.no_nodelay,
            stream_window: self.stream_window,
            connection_window: self.connection_window,
            max_frame_size: self.max_frame_size,
            max_concurrent_streams: self.max_concurrent_streams,
            adaptive_window: self.adaptive_window,
        }
    }
}

/// The client's flags: the tutorial's client.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Who to greet.
    #[arg(long, default_value = "jack")]
    name: String,
}

/// Both binaries' `main`.
pub fn main() -> ExitCode {
    lesson_kit::logging::init();
    let name = "tuning";
    let about = "The async-unary server, tuned one measured step at a time.";
    match run(lesson_kit::cli::parse::<ServerFlags, ClientFlags>(
        name, about,
    )) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(mode: Mode<ServerFlags, ClientFlags>) -> anyhow::Result<()> {
    match mode {
        Mode::Server { listen, flags } => runtime(flags.per_core)?.block_on(async {
            let (_, serving) = start(listen.addr, flags, ShutdownSignal::from_os()).await?;
            serving.await?
        }),
        Mode::Client { connect, flags } => runtime(false)?.block_on(async {
            let url = lesson_kit::addr::client_url(&connect.addr, false);
            async_unary::client::run(url, flags.name)
                .await
                .map_err(|e| anyhow!(e))
        }),
        Mode::Demo { server, client } => runtime(server.per_core)?.block_on(async {
            let (trigger, shutdown) = lesson_kit::shutdown::channel();
            let (addr, serving) = start(([127, 0, 0, 1], 0).into(), server, shutdown).await?;
            let called = async_unary::client::run(format!("http://{addr}"), client.name).await;
            trigger.trigger();
            serving.await??;
            called.map_err(|e| anyhow!(e))
        }),
    }
}

/// Per core, the process's own runtime only watches signals: a current-thread one.
fn runtime(per_core: bool) -> std::io::Result<tokio::runtime::Runtime> {
    match per_core {
        true => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        false => tokio::runtime::Runtime::new(),
    }
}

/// Binds `addr` and serves in the background; logs `listening on` once bound.
async fn start(
    addr: SocketAddr,
    flags: ServerFlags,
    shutdown: ShutdownSignal,
) -> anyhow::Result<(SocketAddr, JoinHandle<anyhow::Result<()>>)> {
    let settings = flags.settings();
    if !flags.per_core {
        let listener = lesson_kit::server::bind(addr).await?;
        let local = listener.local_addr()?;
        let serving = server::serve(listener, settings, shutdown.wait());
        return Ok((local, tokio::spawn(async move { Ok(serving.await?) })));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = flags.threads.map_or(cores, usize::from);
    let listeners = server::bind_per_core(addr, threads)
        .map_err(|e| anyhow!("cannot listen on {addr}: {e}"))?;
    let local = listeners[0].local_addr()?;
    let note = format!("{threads} current-thread runtimes, SO_REUSEPORT");
    lesson_kit::server::log_listening(local, &note);
    let serving = tokio::task::spawn_blocking(move || {
        server::serve_per_core(listeners, settings, move || shutdown.clone().wait())
            .map_err(|e| anyhow!(e))
    });
    Ok((local, serving))
}
