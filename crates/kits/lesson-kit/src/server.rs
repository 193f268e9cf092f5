//! Binding, announcing and serving: the parts of a server every lesson shares.

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;

use crate::Console;
use crate::shutdown::{self, ShutdownSignal, ShutdownTrigger};

/// Ports a demo reserved next to its first one (see [`RunningServer::start_with_ports`]),
/// handed out by [`bind`] to whoever asks for them.
static RESERVED: std::sync::Mutex<Vec<std::net::TcpListener>> = std::sync::Mutex::new(Vec::new());

/// Binds `addr`, with a message that says which address was busy or refused. A
/// port the demo reserved is handed over as it is, already bound.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    let reserved = {
        let mut reserved = RESERVED.lock().unwrap_or_else(|p| p.into_inner());
        let at = reserved
            .iter()
            .position(|l| l.local_addr().ok() == Some(addr));
        at.map(|at| reserved.swap_remove(at))
    };
    let listener = match reserved {
        Some(listener) => TcpListener::from_std(listener)?,
        None => TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?,
    };
    if let Ok(local) = listener.local_addr() {
        log_listening(local, "Ctrl-C to stop");
    }
    Ok(listener)
}

/// Logs `listening on ADDR (note)`, the line [`crate::testing::spawn_listening`]
/// waits for; for servers that bind their own sockets instead of calling [`bind`].
pub fn log_listening(local: SocketAddr, note: &str) {
    tracing::info!("listening on {local} ({note})");
}

/// Prints the tutorial's start-up line, `Server started, listening on 50051`.
///
/// The tutorial's sync servers print it; its async servers print nothing, so async
/// lessons do not call this.
pub fn announce(listener: &TcpListener, console: &Console) {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    console.line(format!("Server started, listening on {port}"));
}

/// Turns a bound listener into the connection stream tonic serves.
///
/// `TCP_NODELAY` is set on every accepted socket: gRPC messages are small and
/// latency-sensitive, and Nagle's algorithm would hold them back.
pub fn incoming(listener: TcpListener) -> TcpIncoming {
    TcpIncoming::from(listener).with_nodelay(Some(true))
}

/// A server running in a background task on `127.0.0.1` with a free port:
/// what demos and tests start, talk to and stop.
#[derive(Debug)]
pub struct RunningServer {
    local_addr: SocketAddr,
    trigger: ShutdownTrigger,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl RunningServer {
    /// Binds `127.0.0.1:0` and runs `serve(listener, shutdown)` in a task.
    pub async fn start<F, Fut>(serve: F) -> anyhow::Result<Self>
    where
        F: FnOnce(TcpListener, ShutdownSignal) -> Fut,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        Self::start_with_ports(1, serve).await
    }

    /// The same, for a server that listens on `ports` consecutive ports (the
    /// scaling-out lesson's instances): all of them are bound before `serve`
    /// starts, so none can be taken by another program in between, and [`bind`]
    /// hands the others to `serve` when it asks for them.
    pub async fn start_with_ports<F, Fut>(ports: u16, serve: F) -> anyhow::Result<Self>
    where
        F: FnOnce(TcpListener, ShutdownSignal) -> Fut,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let (first, others) = consecutive_ports(ports.max(1))?;
        RESERVED
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(others);
        let listener = TcpListener::from_std(first)?;
        let local_addr = listener.local_addr()?;
        let (trigger, signal) = shutdown::channel();
        let task = tokio::spawn(serve(listener, signal));
        Ok(Self {
            local_addr,
            trigger,
            task,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://127.0.0.1:PORT` (or `https://` when `tls`).
    pub fn url(&self, tls: bool) -> String {
        crate::addr::url_for_local(self.local_addr, tls)
    }

    /// Runs `client` against this server; a server that fails first (a failed
    /// bind, a crash) ends the wait with its own error instead of leaving `client`
    /// waiting for an answer that cannot come. A server that ends cleanly first
    /// (a lesson that stops itself) lets the client finish. The server is stopped
    /// either way.
    pub async fn run_client<T>(
        mut self,
        client: impl Future<Output = anyhow::Result<T>>,
    ) -> anyhow::Result<T> {
        tokio::pin!(client);
        tokio::select! {
            outcome = &mut client => {
                self.stop().await?;
                outcome
            }
            ended = &mut self.task => {
                ended
                    .context("server task panicked")?
                    .context("the server failed before the client finished")?;
                client.await
            }
        }
    }

    /// Asks the server to shut down gracefully and waits until it has.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.trigger.trigger();
        self.task.await.context("server task panicked")?
    }
}

/// `count` listeners on consecutive free ports of 127.0.0.1: the first one the
/// system picks, the rest after it; a run whose next port is taken starts over.
fn consecutive_ports(
    count: u16,
) -> anyhow::Result<(std::net::TcpListener, Vec<std::net::TcpListener>)> {
    let localhost = std::net::Ipv4Addr::LOCALHOST;
    for _ in 0..100 {
        let first = std::net::TcpListener::bind((localhost, 0))?;
        let port = first.local_addr()?.port();
        let others: Option<Vec<_>> = (1..count)
            .map(|i| port.checked_add(i))
            .map(|next| next.and_then(|next| std::net::TcpListener::bind((localhost, next)).ok()))
            .collect();
        if let Some(others) = others {
            first.set_nonblocking(true)?;
            for listener in &others {
                listener.set_nonblocking(true)?;
            }
            return Ok((first, others));
        }
    }
    anyhow::bail!("found no {count} consecutive free ports on 127.0.0.1 in 100 tries")
}

#[cfg(test)]
mod tests {
    use super::RunningServer;

    /// A demo of several instances gets its consecutive ports before it starts:
    /// nobody else can bind them meanwhile, and `bind` hands them to the server.
    #[tokio::test]
    async fn a_demo_of_three_instances_holds_its_ports_from_the_start() {
        let (bound, got) = tokio::sync::oneshot::channel();
        let (go, went) = tokio::sync::oneshot::channel::<()>();
        let running = RunningServer::start_with_ports(3, |listener, _shutdown| async move {
            let _ = went.await;
            let first = listener.local_addr()?;
            let mut ports = vec![first.port()];
            for i in 1..3 {
                let next = std::net::SocketAddr::new(first.ip(), first.port() + i);
                ports.push(super::bind(next).await?.local_addr()?.port());
            }
            let _ = bound.send(ports);
            std::future::pending::<()>().await;
            Ok(())
        })
        .await
        .unwrap();
        let first = running.local_addr();
        for i in 1..3 {
            let taken = std::net::TcpListener::bind((first.ip(), first.port() + i));
            assert!(
                taken.is_err(),
                "port {} was not held for the demo",
                first.port() + i
            );
        }
        go.send(()).unwrap();
        let ports = got.await.unwrap();
        assert_eq!(ports, [first.port(), first.port() + 1, first.port() + 2]);
    }

    /// The scaling-out hang: a server that failed (a busy port) while the demo's
    /// client waited for it. The demo now ends with the server's error.
    #[tokio::test]
    async fn a_server_that_stops_first_ends_the_client_wait_with_its_error() {
        let running = RunningServer::start(|_listener, _shutdown| async {
            anyhow::bail!("cannot listen on 127.0.0.1:1")
        })
        .await
        .unwrap();
        let waited = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            running.run_client(std::future::pending::<anyhow::Result<()>>()),
        )
        .await
        .expect("the demo ends without its client finishing");
        let error = format!("{:#}", waited.unwrap_err());
        assert!(error.contains("cannot listen on 127.0.0.1:1"), "{error}");
    }

    /// A lesson whose server stops itself (graceful-shutdown's `--stop-after`)
    /// still lets its client finish.
    #[tokio::test]
    async fn a_server_that_ends_cleanly_first_lets_the_client_finish() {
        let running = RunningServer::start(|_listener, _shutdown| async { Ok(()) })
            .await
            .unwrap();
        let addr = running.local_addr();
        let (go, finished) = tokio::sync::oneshot::channel::<()>();
        let client = async move {
            finished.await.ok();
            Ok("client finished")
        };
        let demo = tokio::spawn(running.run_client(client));
        // The server has ended once its listener is gone; then, on this one-thread
        // runtime, a yield lets the demo task see it before the client may finish.
        while tokio::net::TcpStream::connect(addr).await.is_ok() {
            tokio::task::yield_now().await;
        }
        tokio::task::yield_now().await;
        assert!(!demo.is_finished(), "the demo ended with its server");
        go.send(()).unwrap();
        assert_eq!(demo.await.unwrap().unwrap(), "client finished");
    }
}
