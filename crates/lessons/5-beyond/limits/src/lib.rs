//! Beyond the tutorial: limits, so one client cannot take the server down.
//!
//! A server with no limits trusts every client: to send small messages, to call at
//! a reasonable rate, to finish, to still be there. This lesson sets the limits a
//! production server should have and shows what a client sees when it hits each:
//!
//! - [`server`]: message sizes both ways, a request timeout, a concurrency limit
//!   that sheds calls waiting too long ([`slots`]), a cap on streams per
//!   connection, HTTP/2 keepalive pings;
//! - [`client`]: the client's own message limits and keepalive.
//!
//! The client sends a normal call, one too large for the server, one whose *reply*
//! is too large, one too large for the client itself, a normal call again (the
//! server kept serving), a burst of parallel calls (the server runs two at a time),
//! and a call that runs past the server's timeout.

pub mod client;
pub mod server;
pub mod slots;

use lesson_kit::{Console, InFlight, Lesson, ShutdownSignal};
use tonic::transport::Channel;

pub use client::ClientFlags;
pub use server::ServerFlags;

/// The limits lesson; see the crate docs.
#[derive(Debug)]
pub struct Limits;

/// Serves the limited greeter until `shutdown`, counting calls into `calls`.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    flags: ServerFlags,
    shutdown: ShutdownSignal,
    calls: InFlight,
) -> anyhow::Result<()> {
    flags.check()?;
    server::builder(&flags)
        .add_service(server::service(&flags, calls))
        .serve_with_incoming_shutdown(lesson_kit::server::incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}

impl Lesson for Limits {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let calls = InFlight::new();
        serve_with(listener, flags, shutdown, calls.clone()).await?;
        console.line(format!(
            "server: at most {} calls ran at once",
            calls.peak()
        ));
        Ok(())
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let channel: Channel = client::endpoint(url, flags.ping_every.into())?
            .connect()
            .await?;
        let greeter = client::client(channel, &flags);
        let show = |label: &str, outcome: Result<String, tonic::Status>| match outcome {
            Ok(message) => console.line(format!("{label}: OK ({} bytes back)", message.len())),
            Err(status) => console.line(format!(
                "{label}: {:?}: {}",
                status.code(),
                status.message()
            )),
        };
        show(
            "a 100-byte name",
            client::say_hello(&greeter, flags.max_send_bytes, &"a".repeat(100)).await,
        );
        show(
            "a 1500-byte name",
            client::say_hello(&greeter, flags.max_send_bytes, &"b".repeat(1500)).await,
        );
        show(
            "an 800-byte name",
            client::say_hello(&greeter, flags.max_send_bytes, &"c".repeat(800)).await,
        );
        show(
            "a 3000-byte name",
            client::say_hello(&greeter, flags.max_send_bytes, &"d".repeat(3000)).await,
        );
        show(
            "a 100-byte name again",
            client::say_hello(&greeter, flags.max_send_bytes, &"a".repeat(100)).await,
        );
        let outcomes = client::in_parallel_outcomes(&greeter, flags.parallel).await;
        let ok = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
        console.line(format!("{} parallel calls: {ok} answered", flags.parallel));
        for status in outcomes.iter().filter_map(|outcome| outcome.as_ref().err()) {
            console.line(format!("  one {:?}: {}", status.code(), status.message()));
        }
        show(
            "a call past the server's timeout",
            client::say_hello(&greeter, flags.max_send_bytes, "slow").await,
        );
        Ok(())
    }
}
