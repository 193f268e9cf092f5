//! Chapter 6, running it for real: retries, hedging and wait-for-ready.
//!
//! - [`call`]: a unary call as a clonable value (`Call`) and the tower service
//!   that makes it (`Unary`), so middleware can send it again;
//! - [`retry_policy`]: when to retry (`UNAVAILABLE`, idempotent methods only),
//!   backoff with full jitter, a `TpsBudget`, never past the deadline;
//! - [`client`]: the policy around the call service, and `SayHello` through it;
//! - [`hedging`]: `tower::hedge` sending a second copy of a call slower than
//!   the recent p90, the first answer winning; [`load`] measures it;
//! - [`wait_for_ready`]: a call that waits for a server to come up, within its
//!   deadline, where a plain call on a `connect_lazy` channel fails fast;
//! - [`backend`]: the greeter the demo and tests call, failing or slow on purpose.

pub mod backend;
pub mod call;
pub mod client;
mod demo;
pub mod hedging;
pub mod load;
pub mod retry_policy;
pub mod rolling;
pub mod wait_for_ready;

use std::sync::atomic::Ordering;
use std::time::Duration;

use lesson_kit::{Console, Lesson, ShutdownSignal};
use tonic::transport::Channel;

use crate::backend::{Backend, Behaviour};
use crate::retry_policy::RetryPolicy;

/// The demo's deadline for each call.
pub const DEADLINE: Duration = Duration::from_secs(5);

/// The retries lesson; see the crate docs.
#[derive(Debug)]
pub struct Retries;

/// Server flags: how the backend misbehaves.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// The first this-many calls fail with UNAVAILABLE.
    #[arg(long, default_value_t = 2)]
    pub fail_first: usize,
    /// Every n-th call is slow (0: none).
    #[arg(long, default_value_t = 20)]
    pub slow_every: usize,
    /// How long a slow call takes.
    #[arg(long, default_value = "300ms")]
    pub slow_for: humantime::Duration,
    /// Serve as the scaling-out lesson's instance NAME instead (health, x-served-by,
    /// NOT_SERVING before draining): the rolling restart's backends.
    #[arg(long)]
    pub instance: Option<String>,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// The name to greet.
    #[arg(long, default_value = "Jack")]
    pub name: String,
    /// Calls in each hedging run.
    #[arg(long, default_value_t = 200)]
    pub calls: usize,
    /// The latency percentile past which a call is hedged.
    #[arg(long, default_value_t = 0.9)]
    pub percentile: f32,
    /// The hedge's histogram period (longer than the server's slow calls).
    #[arg(long, default_value = "1s")]
    pub period: humantime::Duration,
    /// Rolling restart: load before, between and after its steps (8 of them).
    #[arg(long, default_value = "2s")]
    pub dwell: humantime::Duration,
    /// Rolling restart: concurrent callers.
    #[arg(long, default_value_t = 8)]
    pub workers: usize,
}

impl Lesson for Retries {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        if let Some(name) = flags.instance {
            let grace = Duration::from_secs(5);
            return scaling_out::instance::serve_instance(listener, name, shutdown, grace).await;
        }
        console.line(format!(
            "server: the first {} calls fail with UNAVAILABLE, every {}th takes {}",
            flags.fail_first, flags.slow_every, flags.slow_for
        ));
        let backend = Backend::new(Behaviour {
            fail_first: flags.fail_first,
            fail_with: None,
            slow_every: Some(flags.slow_every),
            slow_for: flags.slow_for.into(),
        });
        backend.serve(listener, shutdown).await
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let channel = Channel::from_shared(url)?.connect_lazy();
        retry_part(channel.clone(), &flags, &console).await?;
        demo::wait_for_ready_part(&flags.name, &console).await?;
        demo::hedging_part(channel, &flags, &console).await?;
        demo::rolling_part(&flags, &console).await?;
        Ok(())
    }
}

async fn retry_part(
    channel: Channel,
    flags: &ClientFlags,
    console: &Console,
) -> anyhow::Result<()> {
    let policy = RetryPolicy::new(&[client::SAY_HELLO]);
    let retried = policy.retried.clone();
    let mut greeter = client::retrying(channel, policy);
    let reply = client::say_hello(&mut greeter, &flags.name, DEADLINE).await?;
    console.line(format!(
        "retry: {:?} after {} retries",
        reply.message,
        retried.load(Ordering::Relaxed)
    ));
    Ok(())
}
