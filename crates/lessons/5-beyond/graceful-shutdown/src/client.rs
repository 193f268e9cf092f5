//! The client half: calls in flight across a shutdown, counted.

use std::time::Duration;

use lesson_kit::Console;

pub use crate::in_flight::{Received, calls_in_flight};
use tonic::transport::Endpoint;

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Unary calls started at once.
    #[arg(long, default_value_t = 3)]
    pub unary: usize,
    /// Streams opened at once.
    #[arg(long, default_value_t = 1)]
    pub streams: usize,
    /// After the calls finish, wait this long and try a new connection.
    #[arg(long, default_value = "100ms")]
    pub then_connect_after: humantime::Duration,
}

/// The demo: calls across the server's shutdown, then a refused new connection.
pub async fn run(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
    let channel = Endpoint::from_shared(url.clone())?.connect().await?;
    let received = calls_in_flight(channel, flags.unary, flags.streams).await;
    console.line(format!(
        "client: {}/{} unary calls answered, {}/{} streams complete, {} messages streamed",
        received.unary_ok, flags.unary, received.streams_ok, flags.streams, received.streamed
    ));
    tokio::time::sleep(flags.then_connect_after.into()).await;
    let fresh = Endpoint::from_shared(url)?
        .connect_timeout(Duration::from_secs(1))
        .connect()
        .await;
    match fresh {
        Ok(_) => console.line("client: a new connection was accepted (the server is still up)"),
        Err(error) => console.line(format!("client: a new connection failed: {error}")),
    }
    Ok(())
}
