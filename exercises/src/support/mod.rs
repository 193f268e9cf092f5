//! The scaffolding every exercise test shares, so each test file holds only the
//! behaviour it checks.
//!
//! Tests start a real server on `127.0.0.1:0` through lesson-kit's
//! [`RunningServer`] and talk to it over a real socket: what passes here is what a
//! learner would see with `cargo run`. Every test body runs [`within`] a time limit,
//! so an exercise that hangs (a stream never closed, a call never answered) fails
//! with a message instead of blocking `verify` forever.

pub mod greeter;
pub mod pki;
pub mod reflection;

use std::future::Future;
use std::time::Duration;

use lesson_kit::RunningServer;
use tonic::transport::server::Router;
use tonic::transport::{Channel, Endpoint};

/// How long one test may take before it counts as hung.
pub const TEST_TIME_LIMIT: Duration = Duration::from_secs(20);

/// Runs `test`, failing it if it takes longer than [`TEST_TIME_LIMIT`].
pub async fn within<T>(test: impl Future<Output = T>) -> T {
    match tokio::time::timeout(TEST_TIME_LIMIT, test).await {
        Ok(value) => value,
        Err(_) => panic!(
            "the test did not finish within {TEST_TIME_LIMIT:?}: \
             is a stream never closed, or a call never answered?"
        ),
    }
}

/// [`within`] for plain, blocking test code: runs `test` on a thread of its own
/// and fails if it has not finished within [`TEST_TIME_LIMIT`].
pub fn within_blocking<T: Send + 'static>(test: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, outcome) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = done.send(test());
    });
    match outcome.recv_timeout(TEST_TIME_LIMIT) {
        Ok(value) => value,
        // A test thread that ended without sending its outcome panicked: re-raise
        // that panic, message and all.
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            let panic = worker.join().expect_err("the test thread panicked");
            std::panic::resume_unwind(panic)
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the test did not finish within {TEST_TIME_LIMIT:?}: is a call blocked forever?")
        }
    }
}

/// Serves `router` on a free local port until the returned server is stopped
/// (or dropped with the test's runtime).
pub async fn serve(router: Router) -> RunningServer {
    RunningServer::start(|listener, shutdown| async move {
        router
            .serve_with_incoming_shutdown(lesson_kit::server::incoming(listener), shutdown.wait())
            .await?;
        Ok(())
    })
    .await
    .expect("bind a local port")
}

/// A plaintext channel to `server`.
pub async fn connect(server: &RunningServer) -> Channel {
    endpoint(server)
        .connect()
        .await
        .expect("connect to the test server")
}

/// The endpoint of `server`, for tests that configure the channel themselves.
pub fn endpoint(server: &RunningServer) -> Endpoint {
    Endpoint::from_shared(server.url(false)).expect("a valid URL")
}
