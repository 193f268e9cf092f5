//! Starting the lesson's server in the test process, on a port it bound itself.

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use grpc_web::{GrpcWeb, ServerFlags};
use lesson_kit::{Console, Lesson, shutdown};
use tokio::net::TcpListener;

/// A server running in a task: its URL and the trigger that stops it.
pub struct Server {
    pub port: u16,
    pub url: String,
    stop: shutdown::ShutdownTrigger,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Server {
    pub async fn stop(self) {
        self.stop.trigger();
        self.task.await.unwrap().unwrap();
    }
}

/// The bundle `web/build` writes: `target/grpc-web/dist` of the workspace.
pub fn web_dir() -> PathBuf {
    workspace().join("target/grpc-web/dist")
}

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../..")
        .canonicalize()
        .unwrap()
}

/// The listener is bound first so the origins it allows may name its own port
/// (`allowed(port)`), as a page served elsewhere on this machine would.
pub async fn start(allowed: impl FnOnce(u16) -> Vec<String>, every: Duration) -> Server {
    let listener = bind().await;
    let port = listener.local_addr().unwrap().port();
    serve(listener, allowed(port), every)
}

/// A listener on a free port of 127.0.0.1, for servers whose origins name each other.
pub async fn bind() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.unwrap()
}

/// Serves the lesson on `listener`, allowing pages from `allowed` origins.
pub fn serve(listener: TcpListener, allowed: Vec<String>, every: Duration) -> Server {
    let port = listener.local_addr().unwrap().port();
    let flags = ServerFlags {
        allowed_origins: allowed,
        messages: 5,
        every: every.into(),
        web_dir: web_dir(),
    };
    let (stop, signal) = shutdown::channel();
    let task = tokio::spawn(GrpcWeb::serve(listener, flags, Console::capture(), signal));
    Server {
        port,
        url: format!("http://127.0.0.1:{port}"),
        stop,
        task,
    }
}

/// Whether this run must not skip a test whose tool is missing.
pub fn in_ci() -> bool {
    matches!(std::env::var("CI").as_deref(), Ok("true" | "1"))
}
