//! Graceful shutdown: one signal type for Ctrl-C, SIGTERM and tests.
//!
//! tonic's `serve_with_incoming_shutdown` takes a future; when it completes the
//! server stops accepting connections, sends HTTP/2 GOAWAY, lets in-flight calls
//! finish, then returns. A [`ShutdownSignal`] is that future, cloneable so several
//! servers (or a server and its workers) can watch one trigger.

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
    pub fn from_os() -> Self {
        let (trigger, signal) = channel();
        tokio::spawn(async move {
            os_signal().await;
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
}

async fn os_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
