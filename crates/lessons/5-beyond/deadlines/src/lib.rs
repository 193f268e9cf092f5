//! Beyond the tutorial: deadlines and cancellation.
//!
//! The tutorial's calls wait forever. Real clients give every call a **deadline**
//! ("answer within 300ms or don't bother") and sometimes **cancel** a call they no
//! longer need. Both must reach the server, or it keeps working for nobody.
//!
//! - [`deadline`]: the `grpc-timeout` header, what tonic does with it, and the status name.
//! - [`slow`]: a unary handler whose work is dropped when the call ends early.
//! - [`ticker`]: a server stream whose producer stops when the client cancels, and
//!   that ends itself at the deadline.
//!
//! The client half walks through: a deadline shorter than the work, a call without
//! one, a cancel after the call began, a stream cancelled after its first message,
//! and a stream cut by its deadline. The server prints a line every time it stops
//! working for a call that went away.

pub mod calls;
pub mod deadline;
pub mod slow;
pub mod ticker;

pub use calls::{first_then_cancel, unary, unary_with_deadline};

use std::time::Duration;

use helloworld_proto::{v1, v2};
use lesson_kit::{Console, InFlight, Lesson, ShutdownSignal, server};
use tonic::service::Routes;
use tonic::transport::{Channel, Server};

pub use slow::SlowGreeter;
pub use ticker::Ticker;

/// The deadlines lesson; see the crate docs.
#[derive(Debug)]
pub struct Deadlines;

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// How long each unary SayHello works before answering.
    #[arg(long, default_value = "1s")]
    pub work: humantime::Duration,
    /// Pause between streamed greetings.
    #[arg(long, default_value = "100ms")]
    pub every: humantime::Duration,
    /// Greetings per stream.
    #[arg(long, default_value_t = 5)]
    pub messages: usize,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// The deadline for the calls that set one (shorter than the server's `--work`).
    #[arg(long, default_value = "300ms")]
    pub deadline: humantime::Duration,
    /// How long the client waits before cancelling the call it cancels.
    #[arg(long, default_value = "100ms")]
    pub cancel_after: humantime::Duration,
    /// The name to greet.
    #[arg(long, default_value = "Jack")]
    pub name: String,
}

// ANCHOR: routes
/// Both greeters (v1 slow unary, v2 ticking stream), counting into `calls`.
pub fn routes(flags: &ServerFlags, calls: InFlight, console: Console) -> Routes {
    let slow = SlowGreeter {
        work: flags.work.into(),
        calls: calls.clone(),
        console,
    };
    let ticker = Ticker {
        every: flags.every.into(),
        messages: flags.messages,
        calls,
    };
    Routes::new(v1::greeter_service_server::GreeterServiceServer::new(slow)).add_service(
        v2::greeter_service_server::GreeterServiceServer::new(ticker),
    )
}
// ANCHOR_END: routes

/// Serves [`routes`] on `listener` until `shutdown`; tests pass their own `calls` to count.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    flags: ServerFlags,
    console: Console,
    shutdown: ShutdownSignal,
    calls: InFlight,
) -> anyhow::Result<()> {
    Server::builder()
        .add_routes(routes(&flags, calls, console))
        .serve_with_incoming_shutdown(server::incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}

impl Lesson for Deadlines {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        serve_with(listener, flags, console, shutdown, InFlight::new()).await
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let channel = Channel::from_shared(url)?.connect().await?;
        let deadline: Duration = flags.deadline.into();
        let cancel_after: Duration = flags.cancel_after.into();
        let name = flags.name;

        console.line(format!("SayHello with a {} deadline:", flags.deadline));
        print_outcome(
            &console,
            unary_with_deadline(channel.clone(), &name, deadline).await,
        );

        console.line("SayHello without a deadline:");
        print_outcome(&console, unary(channel.clone(), &name, None).await);

        console.line(format!(
            "SayHello cancelled by the client after {}:",
            flags.cancel_after
        ));
        let call = unary(channel.clone(), &name, None);
        match tokio::time::timeout(cancel_after, call).await {
            Ok(outcome) => print_outcome(&console, outcome),
            Err(_) => console.line("client: gave up, the call was dropped"),
        }

        console.line("Server stream cancelled after its first message:");
        let first = first_then_cancel(channel.clone(), &name).await?;
        console.line(format!("Greeter client received: {first}"));
        console.line("client: dropped the stream");

        console.line(format!("Server stream with a {} deadline:", flags.deadline));
        stream_with_deadline(channel, &name, deadline, &console).await;
        Ok(())
    }
}

fn print_outcome(console: &Console, outcome: Result<String, tonic::Status>) {
    match outcome {
        Ok(message) => console.line(format!("Greeter client received: {message}")),
        Err(status) => console.line(format!("status {:?}: {}", status.code(), status.message())),
    }
}

/// Reads the v2 stream under a deadline, printing each greeting and the final status.
pub async fn stream_with_deadline(
    channel: Channel,
    name: &str,
    deadline: Duration,
    console: &Console,
) -> Option<tonic::Status> {
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel);
    let mut request = tonic::Request::new(v2::SayHelloRequest { name: name.into() });
    request.set_timeout(deadline);
    let mut stream = match client.say_hello(request).await {
        Ok(response) => response.into_inner(),
        Err(status) => return Some(finish(console, deadline::spec_status(status))),
    };
    loop {
        match stream.message().await {
            Ok(Some(reply)) => console.line(format!("Greeter client received: {}", reply.message)),
            Ok(None) => return None,
            Err(status) => return Some(finish(console, deadline::spec_status(status))),
        }
    }
}

fn finish(console: &Console, status: tonic::Status) -> tonic::Status {
    console.line(format!("status {:?}: {}", status.code(), status.message()));
    status
}
