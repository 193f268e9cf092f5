//! `cargo run -p async-bidi-streaming [-- server|client] [flags]`: lesson-kit
//! glue around the listings in `server.rs` and `client.rs`.

use std::io::BufRead;
use std::time::Duration;

use async_bidi_streaming::{client, server};
use lesson_kit::cli::NoFlags;
use lesson_kit::{Console, Lesson, ShutdownSignal};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_stream::wrappers::UnboundedReceiverStream;

/// The client's own flags.
#[derive(Debug, Clone, clap::Args)]
struct ClientFlags {
    /// Who is chatting; messages are `NAME #1`, `NAME #2`, ...
    #[arg(long, default_value = "jack")]
    name: String,
    /// How many messages to send.
    #[arg(long, default_value_t = 3)]
    count: u32,
    /// Pause between messages: `0s`, `100ms`, `1s`.
    #[arg(long, default_value = "100ms", value_parser = humantime::parse_duration)]
    send_delay: Duration,
    /// Send each line read from stdin instead (type to chat; end with Ctrl-D).
    #[arg(long)]
    stdin: bool,
}

/// The lesson as `lesson_kit::run` sees it.
struct AsyncBidiStreaming;

impl Lesson for AsyncBidiStreaming {
    type ServerFlags = NoFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: TcpListener,
        _: NoFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        Ok(server::serve(listener, shutdown.wait()).await?)
    }

    async fn client(url: String, flags: ClientFlags, _: Console) -> anyhow::Result<()> {
        let chat = if flags.stdin {
            client::chat(url, stdin_lines()).await
        } else {
            let outgoing = client::paced_messages(flags.name, flags.count, flags.send_delay);
            client::chat(url, outgoing).await
        };
        chat.map_err(|error| anyhow::anyhow!(error))
    }
}

/// Lines typed on stdin, as a stream (read by a plain thread: stdin blocks).
fn stdin_lines() -> UnboundedReceiverStream<String> {
    let (lines, stream) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    UnboundedReceiverStream::new(stream)
}

fn main() -> anyhow::Result<()> {
    lesson_kit::run::<AsyncBidiStreaming>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_DESCRIPTION"))
}
