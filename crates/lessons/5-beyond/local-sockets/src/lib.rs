//! Beyond the tutorial: the greeter on a Unix domain socket.
//!
//! - [`server`]: binding in a fresh private directory, reading the caller's
//!   uid/gid/pid from `UdsConnectInfo`, an optional uid allow-list.
//! - [`client`]: tonic's channel over a connector that opens a `UnixStream`.
//!
//! This glue gives the lesson the workshop's command line. It cannot use
//! `lesson_kit::run`, whose servers take a TCP listener: here the address is a path.
//!
//! ```text
//! cargo run -p local-sockets                         # demo: server + client in one process
//! cargo run -p local-sockets -- server [--socket PATH] [--shared] [--allow-uid UID]...
//! cargo run -p local-sockets -- client [--addr unix:PATH] [--name NAME]
//! ```

pub mod client;
pub mod server;

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use lesson_kit::{ShutdownSignal, shutdown};

use crate::server::{Access, Greeter};

/// Where the server binds by default; its directory must not exist yet.
pub const DEFAULT_SOCKET: &str = "/tmp/grpc-workshop-local-sockets/greeter.sock";

/// The lesson's command line.
#[derive(Debug, Parser)]
#[command(name = "local-sockets", version, about = env!("CARGO_PKG_DESCRIPTION"))]
pub struct Cli {
    /// What to run; `demo` when omitted.
    #[command(subcommand)]
    pub mode: Mode,
}

/// The three ways to run the lesson.
#[derive(Debug, Subcommand)]
pub enum Mode {
    /// Start the server on a socket in a fresh temporary directory, call it, stop (the default).
    Demo {
        #[command(flatten)]
        client: ClientFlags,
    },
    /// Run only the server.
    Server(ServerFlags),
    /// Run only the client against a running server.
    Client {
        /// The server's socket, `unix:PATH` as grpcio takes it.
        #[arg(long, default_value_t = format!("unix:{DEFAULT_SOCKET}"))]
        addr: String,
        #[command(flatten)]
        flags: ClientFlags,
    },
}

/// Server flags.
#[derive(Debug, Clone, Args)]
pub struct ServerFlags {
    /// The socket file; its directory is created (0700) and must not exist yet.
    #[arg(long, default_value = DEFAULT_SOCKET)]
    pub socket: PathBuf,
    /// Let every local user connect (directory 0755, socket 0666) instead of only this one.
    #[arg(long)]
    pub shared: bool,
    /// Serve only callers with this uid (repeatable; default: anyone who can connect).
    #[arg(long = "allow-uid", value_name = "UID")]
    pub allowed_uids: Vec<u32>,
}

/// Client flags.
#[derive(Debug, Clone, Args)]
pub struct ClientFlags {
    /// The name to greet.
    #[arg(long, default_value = "jack")]
    pub name: String,
}

/// Parses `args` (the first is the program name); no mode, or flags first, means `demo`.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Cli {
    let mut args: Vec<OsString> = args.into_iter().collect();
    let first = args.get(1).and_then(|a| a.to_str());
    let demo = match first {
        None => true,
        Some("-h" | "--help" | "-V" | "--version" | "help") => false,
        Some(first) => first.starts_with('-'),
    };
    if demo {
        args.insert(1.min(args.len()), "demo".into());
    }
    Cli::parse_from(args)
}

/// Runs one mode; `shutdown` stops a server.
pub async fn run(mode: Mode, shutdown: ShutdownSignal) -> anyhow::Result<()> {
    match mode {
        Mode::Server(flags) => serve(flags, shutdown).await,
        Mode::Client { addr, flags } => call(&addr, &flags.name).await,
        Mode::Demo { client } => demo(&client.name).await,
    }
}

async fn serve(flags: ServerFlags, shutdown: ShutdownSignal) -> anyhow::Result<()> {
    let access = if flags.shared {
        Access::Shared
    } else {
        Access::Private
    };
    let listener = server::bind(&flags.socket, access)?;
    println!("server: listening on {}", flags.socket.display());
    let greeter = Greeter {
        allowed_uids: flags.allowed_uids,
    };
    let served = server::serve(listener, greeter, shutdown.wait()).await;
    server::remove(&flags.socket)
        .with_context(|| format!("cannot remove {}", flags.socket.display()))?;
    Ok(served?)
}

/// The client half: `addr` is `unix:PATH` (or `unix://PATH`).
pub async fn call(addr: &str, name: &str) -> anyhow::Result<()> {
    let path = socket_path(addr)?;
    let channel = client::connect(path.clone())
        .await
        .with_context(|| format!("cannot connect to {}", path.display()))?;
    let message = client::say_hello(channel, name)
        .await
        .map_err(|status| anyhow::anyhow!("status {:?}: {}", status.code(), status.message()))?;
    println!("Greeter client received: {message}");
    Ok(())
}

/// The path in `unix:PATH` or `unix://PATH`, the forms grpcio accepts.
pub fn socket_path(addr: &str) -> anyhow::Result<PathBuf> {
    let path = addr
        .strip_prefix("unix://")
        .or_else(|| addr.strip_prefix("unix:"))
        .with_context(|| {
            format!("{addr} is not unix:PATH: this client speaks only to a Unix socket")
        })?;
    anyhow::ensure!(!path.is_empty(), "{addr} names no socket file");
    Ok(PathBuf::from(path))
}

/// Server and client in one process, on a socket in a directory made for this run.
async fn demo(name: &str) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("local-sockets-demo-{}", std::process::id()));
    let socket = dir.join("greeter.sock");
    let listener = server::bind(&socket, Access::Private)?;
    let (stop, stopped) = shutdown::channel();
    let server = tokio::spawn(server::serve(listener, Greeter::default(), stopped.wait()));
    let called = call(&format!("unix:{}", socket.display()), name).await;
    stop.trigger();
    server.await.context("server task panicked")??;
    server::remove(&socket)?;
    called
}
