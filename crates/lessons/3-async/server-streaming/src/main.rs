//! `cargo run -p async-server-streaming [-- server|client] [flags]`: lesson-kit
//! glue around the listings in `server.rs` and `client.rs`.

use std::time::Duration;

use async_server_streaming::{Greeter, client, server};
use lesson_kit::{Console, Lesson, ShutdownSignal};
use tokio::net::TcpListener;

/// The server's own flags.
#[derive(Debug, Clone, clap::Args)]
struct ServerFlags {
    /// Greetings per call (the tutorial's async server sends 3).
    #[arg(long, default_value_t = 3)]
    count: u32,
    /// Pause before each greeting: `0s`, `100ms`.
    #[arg(long, default_value = "0s", value_parser = humantime::parse_duration)]
    message_delay: Duration,
}

/// What the client asks for.
#[derive(Debug, Clone, clap::Args)]
struct ClientFlags {
    /// The name every greeting carries (`jack` in the tutorial).
    #[arg(long, default_value = "jack")]
    name: String,
}

/// The lesson as `lesson_kit::run` sees it.
struct AsyncServerStreaming;

impl Lesson for AsyncServerStreaming {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        ServerFlags {
            count,
            message_delay,
        }: ServerFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let greeter = Greeter {
            count,
            message_delay,
        };
        Ok(server::serve(listener, greeter, shutdown.wait()).await?)
    }

    async fn client(url: String, flags: ClientFlags, _: Console) -> anyhow::Result<()> {
        client::run(url, flags.name)
            .await
            .map_err(|error| anyhow::anyhow!(error))
    }
}

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<AsyncServerStreaming>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
