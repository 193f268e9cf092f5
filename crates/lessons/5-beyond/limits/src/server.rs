// ANCHOR: head
//! The server half: a greeter, and every limit configured around it.
//!
//! Limits live at three levels:
//! - **per message**, on the generated service: `max_decoding_message_size` (largest
//!   request accepted, default 4 MiB) and `max_encoding_message_size` (largest
//!   response sent). Over either, the *call* fails (tonic sends `OUT_OF_RANGE`, where
//!   gRPC's other implementations send `RESOURCE_EXHAUSTED`); the connection and the
//!   server carry on.
//! - **per call**, on the server builder: `timeout` ends a call that takes too long
//!   (tonic reports it as `CANCELLED`, see the deadlines lesson). It wraps every layer
//!   added with `.layer(..)`, so it also times a call's wait for a slot: `max_wait`
//!   must be shorter, or the timeout cancels a queued call before it can be shed
//!   ([`ServerFlags::check`]).
//! - **per server / connection**: a [`SlotsLayer`](crate::slots::SlotsLayer) lets N
//!   calls run at once across all connections and sheds a call that waited too long
//!   for a slot (`RESOURCE_EXHAUSTED`); `max_concurrent_streams` caps the calls one
//!   connection may have open (more wait in the *client*); HTTP/2 keepalive pings
//!   find dead peers.

use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use lesson_kit::InFlight;
use tonic::{Request, Response, Status};

use crate::slots::SlotsLayer;

/// Server-side limits (the lesson's server flags).
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Largest request message accepted, in bytes.
    #[arg(long, default_value_t = 1024)]
    pub max_request_bytes: usize,
    /// Largest response message sent, in bytes.
    #[arg(long, default_value_t = 512)]
    pub max_response_bytes: usize,
    /// Calls in progress at once, across all connections; more wait their turn.
    #[arg(long, default_value_t = 2)]
    pub concurrency: usize,
    /// The longest a call waits for a free slot before it fails with RESOURCE_EXHAUSTED
    /// [default: half of --timeout]. Must be shorter than `--timeout`, which counts
    /// the wait too.
    #[arg(long)]
    pub max_wait: Option<humantime::Duration>,
    /// Streams (calls) one connection may have open at once (HTTP/2 MAX_CONCURRENT_STREAMS).
    #[arg(long, default_value_t = 16)]
    pub max_streams: u32,
    /// The longest any call may take on the server, its wait for a slot included.
    #[arg(long, default_value = "500ms")]
    pub timeout: humantime::Duration,
    /// How long every call works.
    #[arg(long, default_value = "20ms")]
    pub work: humantime::Duration,
    /// How long a call for the name `slow` works (past `--timeout`, to show it).
    #[arg(long, default_value = "10s")]
    pub slow_work: humantime::Duration,
    /// Ping idle connections this often; a peer that does not answer within the same time is dropped.
    #[arg(long, default_value = "10s")]
    pub keepalive: humantime::Duration,
}

impl ServerFlags {
    /// `--max-wait`, or half of `--timeout` (the other half is left for the work).
    pub fn max_wait(&self) -> Duration {
        self.max_wait
            .map_or_else(|| Duration::from(self.timeout) / 2, Into::into)
    }

    /// Refuses flags under which no call could ever be shed: tonic's `timeout` wraps
    /// the [`SlotsLayer`], so a `max_wait` as long as the timeout is never reached
    /// (the queued call is `CANCELLED` first).
    pub fn check(&self) -> anyhow::Result<()> {
        let (max_wait, timeout): (Duration, Duration) = (self.max_wait(), self.timeout.into());
        anyhow::ensure!(
            max_wait < timeout,
            "--max-wait ({max_wait:?}) must be shorter than --timeout ({timeout:?}): \
             the timeout counts the wait for a slot, and would cancel a queued call first"
        );
        Ok(())
    }
}

/// Greets after `work`; counts calls so tests can read the peak concurrency.
#[derive(Debug, Clone)]
pub struct Greeter {
    /// How long every call works.
    pub work: Duration,
    /// How long a call for `slow` works.
    pub slow_work: Duration,
    /// Calls in progress, peak and finished.
    pub calls: InFlight,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let call = self.calls.enter();
        let name = request.into_inner().name;
        let work = if name == "slow" {
            self.slow_work
        } else {
            self.work
        };
        tokio::time::sleep(work).await;
        call.complete();
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}
// ANCHOR_END: head

// ANCHOR: message_limits
/// The greeter with its message size limits.
pub fn service(flags: &ServerFlags, calls: InFlight) -> GreeterServiceServer<Greeter> {
    let greeter = Greeter {
        work: flags.work.into(),
        slow_work: flags.slow_work.into(),
        calls,
    };
    GreeterServiceServer::new(greeter)
        .max_decoding_message_size(flags.max_request_bytes)
        .max_encoding_message_size(flags.max_response_bytes)
}
// ANCHOR_END: message_limits

// ANCHOR: builder
/// A server builder with the per-call, per-connection and per-server limits.
pub fn builder(
    flags: &ServerFlags,
) -> tonic::transport::Server<tower::layer::util::Stack<SlotsLayer, tower::layer::util::Identity>> {
    let keepalive: Duration = flags.keepalive.into();
    tonic::transport::Server::builder()
        .timeout(flags.timeout.into())
        .max_concurrent_streams(flags.max_streams)
        .http2_keepalive_interval(Some(keepalive))
        .http2_keepalive_timeout(Some(keepalive))
        .layer(SlotsLayer::new(flags.concurrency, flags.max_wait()))
}
// ANCHOR_END: builder
