//! Binding, announcing and serving: the parts of a server every lesson shares.

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;

use crate::Console;
use crate::shutdown::{self, ShutdownSignal, ShutdownTrigger};

/// Binds `addr`, with a message that says which address was busy or refused.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    if let Ok(local) = listener.local_addr() {
        tracing::info!("listening on {local} (Ctrl-C to stop)");
    }
    Ok(listener)
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
        let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
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

#[cfg(test)]
mod tests {
    use super::RunningServer;

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
