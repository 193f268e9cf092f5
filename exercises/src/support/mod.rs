//! The scaffolding every exercise test shares, so each test file holds only the
//! behaviour it checks.
//!
//! Tests start a real server on `127.0.0.1:0` ([`serve`]) and talk to it over a real socket: what passes here is what a
//! learner would see with `cargo run`. Every test body runs [`within`] a time limit,
//! so an exercise that hangs (a stream never closed, a call never answered) fails
//! with a message instead of blocking `verify` forever.

pub mod greeter;
pub mod pki;
pub mod proxy;
pub mod raw_h2;
pub mod reference;
pub mod reflection;

use std::future::Future;
use std::time::Duration;

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::server::{Router, TcpIncoming};
use tonic::transport::{Channel, Endpoint};

/// Opens TCP to a TLS server at `addr` and never sends a ClientHello: the server
/// must hang up once `handshake_timeout` has passed, not keep the socket forever.
pub async fn assert_silent_peer_is_dropped(addr: SocketAddr, handshake_timeout: Duration) {
    use tokio::io::AsyncReadExt;
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let connected = std::time::Instant::now();
    let mut buf = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buf))
        .await
        .expect("the server kept a silent connection open for 5 s");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert!(connected.elapsed() >= handshake_timeout - Duration::from_millis(20));
}

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

/// A server a test started on `127.0.0.1:0`; dropping it (or the test's runtime)
/// ends it, [`TestServer::stop`] ends it gracefully.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), tonic::transport::Error>>,
}

impl TestServer {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (or `https://` when `tls`).
    pub fn url(&self, tls: bool) -> String {
        let scheme = if tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// Asks the server to finish its calls and stop, and waits until it has.
    pub async fn stop(mut self) -> Result<(), tonic::transport::Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.expect("the server task panicked")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A listener on a free local port.
pub async fn listen() -> TcpListener {
    TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port")
}

/// Serves `router` on a free local port until the returned server is stopped
/// or dropped.
pub async fn serve(router: Router) -> TestServer {
    let listener = listen().await;
    let addr = listener.local_addr().expect("a bound address");
    let (stop, stopped) = oneshot::channel::<()>();
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let task = tokio::spawn(router.serve_with_incoming_shutdown(incoming, async {
        let _ = stopped.await;
    }));
    TestServer {
        addr,
        stop: Some(stop),
        task,
    }
}

/// A plaintext channel to `server`.
pub async fn connect(server: &TestServer) -> Channel {
    endpoint(server)
        .connect()
        .await
        .expect("connect to the test server")
}

/// The endpoint of `server`, for tests that configure the channel themselves.
pub fn endpoint(server: &TestServer) -> Endpoint {
    Endpoint::from_shared(server.url(false)).expect("a valid URL")
}
