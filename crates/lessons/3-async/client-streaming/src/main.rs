//! `cargo run -p async-client-streaming [-- server|client] [flags]`: lesson-kit
//! glue around the listings in `server.rs` and `client.rs`.

use async_client_streaming::{Greeter, client, server};
use lesson_kit::{Console, Lesson, ShutdownSignal};
use tokio::net::TcpListener;

/// The server's own flags.
#[derive(Debug, Clone, clap::Args)]
struct ServerFlags {
    /// Most names one call may stream; more is `RESOURCE_EXHAUSTED`.
    #[arg(long, default_value_t = 1000)]
    max_names: usize,
}

/// Which names the client streams.
#[derive(Debug, Clone, clap::Args)]
struct ClientFlags {
    /// Names to stream, comma-separated; `--names` alone streams none.
    #[arg(long, value_delimiter = ',', num_args = 0.., default_value = "a,b,c")]
    names: Vec<String>,
}

/// The lesson as `lesson_kit::run` sees it.
struct AsyncClientStreaming;

impl Lesson for AsyncClientStreaming {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        ServerFlags { max_names }: ServerFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        Ok(server::serve(listener, Greeter { max_names }, shutdown.wait()).await?)
    }

    async fn client(url: String, flags: ClientFlags, _: Console) -> anyhow::Result<()> {
        client::run(url, flags.names)
            .await
            .map_err(|error| anyhow::anyhow!(error))
    }
}

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<AsyncClientStreaming>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
