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
}

/// The lessons' runtime (`Runtime::new()`: one worker per allowed core).
fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tokio::runtime::Runtime::new()?.block_on(async {
        let listener = lesson_kit::server::bind(cli.addr).await?;
        bench_stream_server::serve(listener).await
    })
}
