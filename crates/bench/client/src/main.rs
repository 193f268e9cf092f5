//! `bench-client <unary|stream|pingpong|check> --addr URL ...`: one load run, one
//! JSON line on stdout. `scripts/bench` drives it; see the library docs for why.

use std::time::{Duration, Instant};

use bench_client::{Window, pingpong, stream, unary};
use clap::{Args, Parser, Subcommand};

/// The command line.
#[derive(Debug, Parser)]
#[command(name = "bench-client", about = env!("CARGO_PKG_DESCRIPTION"))]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What to run.
#[derive(Debug, Subcommand)]
enum Command {
    /// Closed-loop unary calls (to validate this client against h2load).
    Unary {
        #[command(flatten)]
        run: RunArgs,
        /// HTTP/2 connections (h2load `-c`).
        #[arg(long, default_value_t = 1)]
        connections: usize,
        /// Calls in flight per connection (h2load `-m`).
        #[arg(long, default_value_t = 10)]
        in_flight: usize,
    },
    /// Server-streaming throughput: messages of `size` bytes, `count` per stream.
    Stream {
        #[command(flatten)]
        run: RunArgs,
        /// Concurrent streams, one per connection.
        #[arg(long, default_value_t = 1)]
        connections: usize,
        /// Bytes per message.
        #[arg(long)]
        size: usize,
        /// Messages per stream.
        #[arg(long)]
        count: u64,
        /// Largest HTTP/2 frame the client accepts (default: the protocol's 16 KiB).
        #[arg(long)]
        max_frame_size: Option<u32>,
        /// Per-stream flow-control window in bytes (default: hyper's 2 MiB).
        #[arg(long)]
        stream_window: Option<u32>,
        /// Grow the windows from measured round trips (hyper's BDP probing).
        #[arg(long)]
        adaptive_window: bool,
    },
    /// Bidi ping-pong round-trip latency on one stream.
    Pingpong {
        #[command(flatten)]
        run: RunArgs,
    },
    /// One checked unary call; prints the greeting.
    Check {
        #[arg(long)]
        addr: String,
    },
}

/// Where and how long to load.
#[derive(Debug, Args)]
struct RunArgs {
    /// Server URL, e.g. `http://127.0.0.1:50051`.
    #[arg(long)]
    addr: String,
    /// Seconds measured.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Seconds of load before measuring starts.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
}

impl RunArgs {
    fn window(&self) -> Window {
        Window::new(
            Duration::from_secs_f64(self.warmup),
            Duration::from_secs_f64(self.seconds),
        )
    }
}

/// The lessons' runtime (`Runtime::new()`: one worker per allowed core).
fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tokio::runtime::Runtime::new()?.block_on(async {
        let (window, mut summary) = match cli.command {
            Command::Check { addr } => {
                println!("{}", unary::check(&addr, "Jack").await?);
                return Ok(());
            }
            Command::Unary {
                run,
                connections,
                in_flight,
            } => {
                let window = run.window();
                let load = unary::run(&run.addr, connections, in_flight, "Jack", window);
                (window, load.await?)
            }
            Command::Stream {
                run,
                connections,
                size,
                count,
                max_frame_size,
                stream_window,
                adaptive_window,
            } => {
                let window = run.window();
                let shape = stream::Shape {
                    connections,
                    size,
                    count,
                    tuning: bench_client::Tuning {
                        max_frame_size,
                        stream_window,
                        adaptive_window,
                    },
                };
                (window, stream::run(&run.addr, shape, window).await?)
            }
            Command::Pingpong { run } => {
                let window = run.window();
                (window, pingpong::run(&run.addr, window).await?)
            }
        };
        let measured = Instant::now().min(window.until) - window.from;
        println!("{}", summary.to_json(measured.as_secs_f64()));
        Ok(())
    })
}
