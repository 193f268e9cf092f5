//! Beyond the tutorial: metadata, interceptors and tower layers.
//!
//! Metadata is gRPC's name for HTTP/2 headers: key/value pairs sent with a call
//! (request metadata), before the first response message (response headers) and
//! after the last one (trailers, where `grpc-status` lives too). Request ids,
//! auth tokens, tracing context and client versions travel there.
//!
//! - [`interceptor`]: a tonic interceptor gives every request an id.
//! - [`layers`]: tower layers echo `x-echo-*` headers into response headers *and*
//!   trailers, and log each call's path, status and time.
//! - [`serve`]: the server with both around the greeter.
//!
//! The handler is the tutorial's v2 server-streaming greeter, because a stream
//! shows headers (before the messages) and trailers (after them) apart.

pub mod client;
pub mod greeter;
pub mod interceptor;
pub mod layers;
pub mod serve;

pub use client::{Returned, call};
pub use greeter::Greeter;

use lesson_kit::{Console, Lesson, ShutdownSignal};
use tonic::metadata::MetadataMap;
use tonic::transport::Channel;

use interceptor::REQUEST_ID;

/// Runs [`serve::serve`] until `shutdown`, its log lines going to `console`.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    console: Console,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    serve::serve(listener, move |line| console.line(line), shutdown.wait()).await?;
    Ok(())
}

/// The metadata lesson; see the crate docs.
#[derive(Debug)]
pub struct Metadata;

/// The server has no flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServerFlags {}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Sent as `x-request-id`; omit it to let the server make one up.
    #[arg(long)]
    pub request_id: Option<String>,
    /// Sent as `x-echo-client`, and echoed back in headers and trailers.
    #[arg(long, default_value = "metadata-lesson")]
    pub echo: String,
}

fn show(console: &Console, what: &str, map: &MetadataMap) {
    for key in [REQUEST_ID, "x-echo-client"] {
        if let Some(value) = map.get(key).and_then(|v| v.to_str().ok()) {
            console.line(format!("response {what} {key}: {value}"));
        }
    }
}

impl Lesson for Metadata {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        _flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        serve_with(listener, console, shutdown).await
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let channel = Channel::from_shared(url)?.connect().await?;
        let returned = call(channel, flags.request_id.as_deref(), &flags.echo).await?;
        show(&console, "header", &returned.headers);
        for message in &returned.messages {
            console.line(format!("Greeter client received: {message}"));
        }
        show(&console, "trailer", &returned.trailers);
        Ok(())
    }
}
