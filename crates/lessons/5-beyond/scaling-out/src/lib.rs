//! Beyond the tutorial: scaling out to several instances.
//!
//! One server process is one failure away from an outage and one core away from
//! its limit. Running several instances needs something to spread calls over them,
//! and to stop sending to an instance that is going away:
//!
//! - [`balancer`]: **client-side** balancing: tonic's balanced channel over all
//!   instances, membership driven by each instance's health `Watch`;
//! - **a proxy**: nginx's `grpc_pass` in front of the instances (see the book's page
//!   and `tests/nginx.rs`), for clients that only know one address.
//! - [`instance`]: a greeter that says who answered (`x-served-by`) and reports
//!   `NOT_SERVING` before it drains.
//!
//! `server` runs `--instances` instances on consecutive ports; `client` balances over
//! them and counts which instance answered each call.

pub mod balancer;
pub mod instance;
pub mod spread;

pub use spread::{CALL_DEADLINE, spread};

use std::net::SocketAddr;
use std::time::Duration;

use lesson_kit::{Console, Lesson, ShutdownSignal};
use tonic::transport::Uri;

/// The scaling-out lesson; see the crate docs.
#[derive(Debug)]
pub struct ScalingOut;

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// How many instances to run, on `--addr`'s port and the ones after it.
    #[arg(long, default_value_t = 3)]
    pub instances: usize,
    /// Stop instance 0 after this long, as if it got SIGTERM (the others keep serving).
    #[arg(long)]
    pub stop_one_after: Option<humantime::Duration>,
    /// How long a stopping instance waits for open calls and health watches.
    #[arg(long, default_value = "1s")]
    pub grace: humantime::Duration,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// How many instances to balance over, on `--addr`'s port and the ones after it.
    #[arg(long = "backends", default_value_t = 3)]
    pub backends: usize,
    /// Calls per round.
    #[arg(long, default_value_t = 30)]
    pub calls: usize,
    /// Rounds of calls.
    #[arg(long, default_value_t = 1)]
    pub rounds: usize,
    /// Pause between rounds.
    #[arg(long, default_value = "500ms")]
    pub pause: humantime::Duration,
}

/// `url` with its port moved up by `offset`: instance `offset` of a `server` run.
pub fn nth_url(url: &str, offset: u16) -> anyhow::Result<String> {
    let uri: Uri = url.parse()?;
    let scheme = uri.scheme_str().unwrap_or("http");
    let host = uri
        .host()
        .ok_or_else(|| anyhow::anyhow!("no host in {url}"))?;
    let port = uri
        .port_u16()
        .ok_or_else(|| anyhow::anyhow!("no port in {url}"))?;
    let port = port
        .checked_add(offset)
        .ok_or_else(|| anyhow::anyhow!("port {port} + {offset} is past 65535"))?;
    Ok(format!("{scheme}://{host}:{port}"))
}

impl Lesson for ScalingOut {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;
    /// The demo's instances (3 by default, up to 8) get ports bound in one go.
    const DEMO_PORTS: u16 = 8;

    async fn serve(
        listener: tokio::net::TcpListener,
        flags: ServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let first: SocketAddr = listener.local_addr()?;
        let grace: Duration = flags.grace.into();
        let mut instances = tokio::task::JoinSet::new();
        let mut first_listener = Some(listener);
        for i in 0..flags.instances.max(1) {
            let listener = if let Some(listener) = first_listener.take() {
                listener
            } else {
                let port = u16::try_from(i)
                    .ok()
                    .and_then(|i| first.port().checked_add(i))
                    .ok_or_else(|| anyhow::anyhow!("instance {i} would need a port past 65535"))?;
                let addr = SocketAddr::new(first.ip(), port);
                lesson_kit::server::bind(addr).await?
            };
            let name = format!("instance-{i}");
            console.line(format!("server: {name} on {}", listener.local_addr()?));
            let stop = if i == 0 {
                shutdown
                    .clone()
                    .or_after(flags.stop_one_after.map(Into::into))
            } else {
                shutdown.clone()
            };
            let console = console.clone();
            instances.spawn(async move {
                let served = instance::serve_instance(listener, name.clone(), stop, grace).await;
                console.line(format!("server: {name} stopped"));
                served
            });
        }
        while let Some(done) = instances.join_next().await {
            done??;
        }
        Ok(())
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let urls = (0..flags.backends)
            .map(|i| nth_url(&url, u16::try_from(i)?))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut balanced = balancer::health_balanced(urls.clone(), Duration::from_millis(100))?;
        let everyone = flags.backends;
        let joined = tokio::time::timeout(
            Duration::from_secs(5),
            balanced.members.wait_for(|m| m.len() == everyone),
        )
        .await
        .is_ok();
        if !joined {
            let members = balanced.members.borrow().clone();
            let missing: Vec<&String> = urls.iter().filter(|u| !members.contains(*u)).collect();
            anyhow::bail!("not every instance reported SERVING within 5s: {missing:?} did not");
        }
        for round in 0..flags.rounds {
            if round > 0 {
                tokio::time::sleep(flags.pause.into()).await;
            }
            let members = balanced.members.borrow().len();
            let (answered, failed) = spread(balanced.channel.clone(), flags.calls).await;
            console.line(format!(
                "round {round}: {members} healthy instances, answered by {answered:?}, {failed} failed"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::nth_url;

    #[test]
    fn instance_urls_follow_the_first_port_and_never_overflow() {
        assert_eq!(
            nth_url("http://127.0.0.1:50061", 2).unwrap(),
            "http://127.0.0.1:50063"
        );
        assert!(nth_url("http://127.0.0.1:65535", 1).is_err());
        assert!(nth_url("http://127.0.0.1", 0).is_err());
    }
}
