//! Graceful shutdown: one signal type for Ctrl-C, SIGTERM and tests.
//!
//! tonic's `serve_with_incoming_shutdown` takes a future; when it completes the
//! server stops accepting connections, sends HTTP/2 GOAWAY, lets in-flight calls
//! finish, then returns. A [`ShutdownSignal`] is that future, cloneable so several
//! servers (or a server and its workers) can watch one trigger.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

/// Completes when shutdown has been asked for.
#[derive(Clone, Debug)]
pub struct ShutdownSignal {
    receiver: watch::Receiver<bool>,
}

/// Asks every [`ShutdownSignal`] made with it to complete.
#[derive(Debug)]
pub struct ShutdownTrigger {
    sender: watch::Sender<bool>,
}

/// A linked trigger and signal, for demos and tests that stop a server themselves.
pub fn channel() -> (ShutdownTrigger, ShutdownSignal) {
    let (sender, receiver) = watch::channel(false);
    (ShutdownTrigger { sender }, ShutdownSignal { receiver })
}

impl ShutdownTrigger {
    /// Starts the graceful shutdown.
    pub fn trigger(&self) {
        self.sender.send_replace(true);
    }
}

impl ShutdownSignal {
    /// A signal that completes on Ctrl-C or (on Unix) SIGTERM, for real servers.
    ///
    /// The handlers are installed before this returns, not when the task first
    /// runs: a SIGTERM that comes right after the server says it is listening
    /// must stop it gracefully, not kill it (signal 15's default action).
    pub fn from_os() -> Self {
        let (trigger, signal) = channel();
        let asked = os_signal();
        tokio::spawn(async move {
            asked.await;
            tracing::info!("shutdown requested: finishing in-flight calls");
            trigger.trigger();
        });
        signal
    }

    /// Waits until shutdown is asked for (or the trigger is dropped).
    pub async fn wait(mut self) {
        let _ = self.receiver.wait_for(|stop| *stop).await;
    }

    /// Whether shutdown has already been asked for.
    pub fn is_triggered(&self) -> bool {
        *self.receiver.borrow()
    }

    /// This signal, or `after` elapsing, whichever comes first (`None`: just this
    /// signal). Lets a demo stop a server by itself after a while.
    pub fn or_after(self, after: Option<std::time::Duration>) -> Self {
        let Some(after) = after else { return self };
        let (trigger, signal) = channel();
        tokio::spawn(async move {
            tokio::select! {
                () = self.wait() => {}
                () = tokio::time::sleep(after) => {}
            }
            trigger.trigger();
        });
        signal
    }
}

/// How a server run under [`with_grace`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Every in-flight call finished on its own.
    Drained,
    /// The grace period ran out; the calls still open were dropped.
    GraceExpired,
}

/// Runs `serve` (a server that shuts down gracefully on `shutdown`), but waits at
/// most `grace` after shutdown is asked for.
///
/// Graceful shutdown waits for *every* open call: one endless stream (a health
/// `Watch`, a client that never reads) would keep the process alive forever, and an
/// orchestrator would have to SIGKILL it. After `grace`, the server future is
/// dropped, which closes the remaining connections.
pub async fn with_grace<E>(
    serve: impl Future<Output = Result<(), E>>,
    shutdown: ShutdownSignal,
    grace: Duration,
) -> Result<Ending, E> {
    let expired = async {
        shutdown.wait().await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = serve => result.map(|()| Ending::Drained),
        () = expired => {
            tracing::warn!("grace period of {grace:?} over: dropping the calls still open");
            Ok(Ending::GraceExpired)
        }
    }
}

/// Ctrl-C or SIGTERM. On Unix both handlers are registered when this is called;
/// the returned future only waits.
fn os_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt()).ok();
        let mut terminate = signal(SignalKind::terminate()).ok();
        async move {
            let interrupted = async {
                match interrupt.as_mut() {
                    Some(interrupt) => {
                        interrupt.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let terminated = async {
                match terminate.as_mut() {
                    Some(terminate) => {
                        terminate.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = interrupted => {}
                () = terminated => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn grace_bounds_a_server_that_never_drains() {
        let (trigger, signal) = channel();
        let never = std::future::pending::<Result<(), ()>>();
        trigger.trigger();
        let ending = with_grace(never, signal, Duration::from_millis(1)).await;
        assert_eq!(ending, Ok(Ending::GraceExpired));
    }

    #[tokio::test]
    async fn a_drained_server_ends_before_the_grace() {
        let (_trigger, signal) = channel();
        let ending = with_grace(async { Ok::<(), ()>(()) }, signal, Duration::from_secs(60)).await;
        assert_eq!(ending, Ok(Ending::Drained));
    }

    #[tokio::test]
    async fn or_after_completes_on_either() {
        let (_kept, signal) = channel();
        let timed = signal.or_after(Some(Duration::from_millis(10)));
        tokio::time::timeout(Duration::from_secs(5), timed.wait())
            .await
            .expect("timer ends it");

        let (trigger, signal) = channel();
        let untimed = signal.or_after(None);
        trigger.trigger();
        tokio::time::timeout(Duration::from_secs(5), untimed.wait())
            .await
            .expect("trigger ends it");
    }
}
