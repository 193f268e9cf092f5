//! `bench-roofline --addr 127.0.0.1:50060`: the bare HTTP/2 server the benchmark
//! compares the gRPC servers with (see the library docs for why).

use std::net::SocketAddr;

use clap::Parser;

/// Command line: where to listen.
#[derive(Debug, Parser)]
#[command(name = "bench-roofline", about = env!("CARGO_PKG_DESCRIPTION"))]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:50060")]
    addr: SocketAddr,
}

/// Same runtime as the lessons (`tokio::runtime::Runtime::new()`: one worker per
/// core the process may run on), so only the gRPC layer differs.
fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tokio::runtime::Runtime::new()?.block_on(async {
        let listener = tokio::net::TcpListener::bind(cli.addr).await?;
        bench_roofline::serve(listener).await
    })
}
