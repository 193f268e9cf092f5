//! `bench-stream-server --addr 127.0.0.1:50070`: see the library docs.

use std::net::SocketAddr;

use clap::Parser;

/// Command line: where to listen.
#[derive(Debug, Parser)]
#[command(name = "bench-stream-server", about = env!("CARGO_PKG_DESCRIPTION"))]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:50070")]
    addr: SocketAddr,
    /// Tokio's scheduler: `multi-thread` is the lessons' (`Runtime::new()`, one
    /// worker per allowed core, the accept loop on the main thread);
    /// `current-thread` runs everything on one thread.
    #[arg(long, value_enum, default_value_t = Flavor::MultiThread)]
    runtime: Flavor,
}

/// The runtime flavours compared by the benchmark's ping-pong experiment.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Flavor {
    MultiThread,
    CurrentThread,
}

/// The lessons' runtime by default; see [`Flavor`].
fn main() -> anyhow::Result<()> {
    // `RUST_LOG=lesson_kit::server=info` shows the `listening on` line a reader waits for.
    lesson_kit::logging::init();
    let cli = Cli::parse();
    let runtime = match cli.runtime {
        Flavor::MultiThread => tokio::runtime::Runtime::new()?,
        Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
    };
    runtime.block_on(async {
        let listener = lesson_kit::server::bind(cli.addr).await?;
        bench_stream_server::serve(listener).await
    })
}
