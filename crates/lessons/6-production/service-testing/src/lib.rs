//! Chapter 6, running it for real: testing a gRPC service.
//!
//! The lesson is in `tests/`, one technique a file: the handler called directly
//! (`direct_call.rs`), an in-process server (`in_process.rs`, over [`in_process`]),
//! a mock server for a client (`mock_server.rs`, testing [`client::greet`]), a
//! property test (`property.rs`) and codes and metadata (`status_and_metadata.rs`).
//! What they test is [`greeter::Greeter`] and [`client::greet`].
//!
//! The binary serves the greeter over TCP like every lesson; its client calls
//! it, then makes the same calls against an in-process greeter, and prints both.

pub mod client;
pub mod greeter;
pub mod in_process;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use lesson_kit::cli::NoFlags;
use lesson_kit::{Console, Lesson, ShutdownSignal, server};
use tonic::service::Routes;
use tonic::transport::{Channel, Server};

pub use greeter::{Greeter, MAX_NAME_CHARS};

/// The demo's deadline for each call.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

/// The testing lesson; see the crate docs.
#[derive(Debug)]
pub struct ServiceTesting;

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// The name to greet.
    #[arg(long, default_value = "Jack")]
    pub name: String,
}

impl Lesson for ServiceTesting {
    type ServerFlags = NoFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        _flags: NoFlags,
        _console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        Server::builder()
            .add_service(GreeterServiceServer::new(Greeter))
            .serve_with_incoming_shutdown(server::incoming(listener), shutdown.wait())
            .await?;
        Ok(())
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let network = Channel::from_shared(url)?.connect().await?;
        let in_process =
            in_process::in_process_channel(Routes::new(GreeterServiceServer::new(Greeter))).await?;
        for (how, channel) in [("over TCP", network), ("in process", in_process)] {
            for name in [flags.name.as_str(), ""] {
                let outcome = client::greet(channel.clone(), name, "demo-1", DEADLINE).await;
                let shown = match outcome {
                    Ok(message) => message,
                    Err(status) => format!("status {:?}: {}", status.code(), status.message()),
                };
                console.line(format!("{how}, name {name:?}: {shown}"));
            }
        }
        Ok(())
    }
}
