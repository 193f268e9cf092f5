//! Beyond the tutorial: message compression.
//!
//! gRPC compresses *messages*, not connections: each message is sent compressed or
//! not (a flag in its 5-byte prefix), with the algorithm named per call in the
//! `grpc-encoding` header. A server compresses its response only with an encoding the
//! client listed in `grpc-accept-encoding`; a client compresses its request before it
//! has heard from the server, and a server that does not accept that encoding answers
//! `UNIMPLEMENTED`. In tonic both sides opt in per encoding (`gzip`, `zstd`; the
//! workspace enables both features):
//!
//! - `accept_compressed(enc)`: may receive messages compressed with `enc`;
//! - `send_compressed(enc)`: compress what we send with `enc`: a server only when the
//!   client accepts it, a client always (it cannot know yet).
//!
//! The client sends the same repetitive greeting uncompressed, with gzip and with
//! zstd, each over a fresh connection whose bytes are counted ([`wire`]).

pub mod call;
pub mod greeter;
pub mod wire;

pub use call::call;
pub use greeter::{Greeter, service};

use lesson_kit::{Console, Lesson, ShutdownSignal, server};
use tonic::codec::CompressionEncoding;
use tonic::transport::Server;

/// An encoding by name (`gzip`, `zstd`), as flags spell it.
pub fn parse_encoding(name: &str) -> Result<CompressionEncoding, String> {
    match name {
        "gzip" => Ok(CompressionEncoding::Gzip),
        "zstd" => Ok(CompressionEncoding::Zstd),
        other => Err(format!("unknown encoding {other:?} (gzip or zstd)")),
    }
}

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Encodings the server accepts and sends.
    #[arg(long, value_delimiter = ',', default_value = "gzip,zstd", value_parser = parse_encoding)]
    pub accept: Vec<CompressionEncoding>,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// How many times the name repeats `Jack ` (the payload's size).
    #[arg(long, default_value_t = 2000)]
    pub repeat: usize,
}

/// Serves [`service`] until `shutdown`.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    encodings: &[CompressionEncoding],
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    Server::builder()
        .add_service(service(encodings))
        .serve_with_incoming_shutdown(server::incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}

/// The compression lesson; see the crate docs.
#[derive(Debug)]
pub struct Compression;

impl Lesson for Compression {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        _console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        serve_with(listener, &flags.accept, shutdown).await
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let name = "Jack ".repeat(flags.repeat);
        console.line(format!("one call, a {}-byte name, each way:", name.len()));
        for (label, encoding) in [
            ("identity", None),
            ("gzip", Some(CompressionEncoding::Gzip)),
            ("zstd", Some(CompressionEncoding::Zstd)),
        ] {
            let (channel, count) = wire::counting_channel(url.clone()).await?;
            match call(channel, encoding, name.clone()).await {
                Ok(_) => console.line(format!(
                    "{label:>8}: {:>6} bytes sent, {:>6} bytes received",
                    count.sent(),
                    count.received()
                )),
                Err(status) => console.line(format!(
                    "{label:>8}: {:?}: {}",
                    status.code(),
                    status.message()
                )),
            }
        }
        Ok(())
    }
}
