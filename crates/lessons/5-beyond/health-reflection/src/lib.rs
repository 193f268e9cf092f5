//! Beyond the tutorial: health checking and server reflection.
//!
//! Two small services a production gRPC server carries next to its own:
//!
//! - [`health`]: the standard `grpc.health.v1.Health` service. Load balancers,
//!   Kubernetes probes and proxies ask it "is `tutorial.helloworld.v1.GreeterService`
//!   able to serve?" and get `SERVING` or `NOT_SERVING`, by a single `Check` or by a
//!   `Watch` stream that pushes every change. The server flips the status through a
//!   `HealthReporter` handle (say, `NOT_SERVING` while draining or while a database is down).
//! - [`reflection`]: `grpc.reflection.v1` (and the older `v1alpha`, which some
//!   `grpcurl` versions still ask for) serve the compiled schema, so tools can list
//!   and call our services without the `.proto` files.
//!
//! The lesson's client uses both from Rust: it lists the services through
//! reflection, fetches a file descriptor by symbol, then checks (and optionally
//! watches) the greeter's health.

pub mod health;
pub mod reflection;
pub mod server;

pub use server::{Greeter, routes, serve};

use std::time::Duration;

use lesson_kit::{Console, Lesson, ShutdownSignal};
use tonic::transport::Channel;
use tonic_health::server::HealthReporter;

/// The health and reflection lesson; see the crate docs.
#[derive(Debug)]
pub struct HealthReflection;

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Start with the greeter reported as NOT_SERVING.
    #[arg(long)]
    pub not_serving: bool,
    /// Flip the greeter between SERVING and NOT_SERVING this often (e.g. `2s`), to watch it change.
    #[arg(long)]
    pub toggle_every: Option<humantime::Duration>,
    /// After Ctrl-C, how long open calls (an endless health `Watch`) may keep the server up.
    #[arg(long, default_value = "2s")]
    pub grace: humantime::Duration,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// After the first check, wait for this many health changes through `Watch`.
    #[arg(long, default_value_t = 0)]
    pub watch: usize,
}

impl Lesson for HealthReflection {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let (reporter, routes) = routes().await?;
        if flags.not_serving {
            health::set_greeter_serving(&reporter, false).await;
        }
        if let Some(every) = flags.toggle_every {
            let every: Duration = every.into();
            tokio::spawn(toggle(reporter.clone(), every, console, shutdown.clone()));
        }
        serve(
            listener,
            routes,
            reporter,
            shutdown.wait(),
            flags.grace.into(),
        )
        .await?;
        Ok(())
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let channel = Channel::from_shared(url)?.connect().await?;
        console.line("Services listed by reflection:");
        for service in reflection::list_services(channel.clone()).await? {
            console.line(format!("  {service}"));
        }
        let files = reflection::file_containing_symbol(channel.clone(), health::GREETER).await?;
        for file in files {
            console.line(format!(
                "{} is defined in {} ({} messages)",
                health::GREETER,
                file.name(),
                file.message_type.len()
            ));
        }
        let status = health::check(channel.clone(), health::GREETER).await?;
        console.line(format!(
            "health of {}: {}",
            health::GREETER,
            status.as_str_name()
        ));
        if flags.watch > 0 {
            health::watch(channel, health::GREETER, flags.watch, |status| {
                console.line(format!(
                    "watch: {} is {}",
                    health::GREETER,
                    status.as_str_name()
                ));
            })
            .await?;
        }
        Ok(())
    }
}

/// Flips the greeter's status every `every` until shutdown, printing each change.
///
/// A stand-in for real reasons to change (a dependency going down, draining before
/// a deploy), so a learner can watch `Watch` follow it.
async fn toggle(
    reporter: HealthReporter,
    every: Duration,
    console: Console,
    shutdown: ShutdownSignal,
) {
    let mut serving = true;
    let mut ticks = tokio::time::interval(every);
    ticks.tick().await;
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = shutdown.clone().wait() => return,
        }
        serving = !serving;
        health::set_greeter_serving(&reporter, serving).await;
        console.line(format!(
            "server: {} is now {}",
            health::GREETER,
            if serving { "SERVING" } else { "NOT_SERVING" }
        ));
    }
}
