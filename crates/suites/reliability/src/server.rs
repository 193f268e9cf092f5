//! The server under test: the [`Greeter`] behind a production-configured tonic
//! server, every limit explicit.
//!
//! A default tonic server trusts its clients more than a public service should:
//! no deadline of its own, unbounded concurrent streams (as many as the client
//! asks for), no keepalive to notice a peer that vanished without closing the
//! socket. [`Limits`] names each bound the reliability suite leans on.

use helloworld_proto::{v1, v2, v3, v4};
use lesson_kit::{RunningServer, ShutdownSignal};
use tokio::net::TcpListener;
use tonic::codec::CompressionEncoding::Gzip;
use tonic::transport::Server;

pub use crate::limits::Limits;
use crate::probes::Probes;
use crate::service::Greeter;
use crate::target::Target;

/// Serves the greeter's four contracts on `listener` until `shutdown`.
pub async fn serve(
    listener: TcpListener,
    limits: Limits,
    probes: Probes,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    let greeter = Greeter::new(probes, limits.stream_buffer, limits.max_message_bytes);
    let size = limits.max_message_bytes;
    Server::builder()
        .max_concurrent_streams(limits.max_concurrent_streams)
        .concurrency_limit_per_connection(limits.concurrency_per_connection)
        .timeout(limits.request_timeout)
        .http2_keepalive_interval(Some(limits.keepalive_interval))
        .http2_keepalive_timeout(Some(limits.keepalive_timeout))
        .add_service(
            v1::greeter_service_server::GreeterServiceServer::new(greeter.clone())
                .max_decoding_message_size(size)
                .max_encoding_message_size(size)
                .accept_compressed(Gzip)
                .send_compressed(Gzip),
        )
        .add_service(
            v2::greeter_service_server::GreeterServiceServer::new(greeter.clone())
                .max_decoding_message_size(size)
                .max_encoding_message_size(size)
                .accept_compressed(Gzip)
                .send_compressed(Gzip),
        )
        .add_service(
            v4::greeter_service_server::GreeterServiceServer::new(greeter.clone())
                .max_decoding_message_size(size)
                .max_encoding_message_size(size)
                .accept_compressed(Gzip)
                .send_compressed(Gzip),
        )
        .add_service(
            v3::greeter_service_server::GreeterServiceServer::new(greeter)
                .max_decoding_message_size(size)
                .max_encoding_message_size(size)
                .accept_compressed(Gzip)
                .send_compressed(Gzip),
        )
        .serve_with_incoming_shutdown(lesson_kit::server::incoming(listener), shutdown.wait())
        .await?;
    Ok(())
}

/// The server under test running in the background on `127.0.0.1:0`, on a
/// runtime of its own (so its panics are its own, see [`crate::panics`]), with
/// the probes a test reads.
#[derive(Debug)]
pub struct TestServer {
    running: Option<RunningServer>,
    runtime: Option<tokio::runtime::Runtime>,
    probes: Probes,
    limits: Limits,
}

/// Numbers each server's runtime threads: `reliability-server-N`.
static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl TestServer {
    /// Starts a server with the default [`Limits`].
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(Limits::default()).await
    }

    /// Starts a server with `limits`.
    pub async fn start_with(limits: Limits) -> anyhow::Result<Self> {
        let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let threads = format!("reliability-server-{n}");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(&threads)
            .enable_all()
            .build()?;
        let probes = Probes::on_threads(&threads);
        let (for_server, limits_for_server) = (probes.clone(), limits.clone());
        // Started from inside the server's runtime, so every task it spawns runs there.
        let running = runtime
            .spawn(RunningServer::start(move |listener, shutdown| {
                serve(listener, limits_for_server, for_server, shutdown)
            }))
            .await??;
        Ok(Self {
            running: Some(running),
            runtime: Some(runtime),
            probes,
            limits,
        })
    }

    fn running(&self) -> &RunningServer {
        self.running.as_ref().expect("running until stopped")
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.running().url(false)
    }

    /// The counters the server updates.
    pub fn probes(&self) -> &Probes {
        &self.probes
    }

    /// A connected [`Target`] that knows this is the server under test.
    pub async fn target(&self) -> anyhow::Result<Target> {
        Target::connect(
            &self.url(),
            Some((self.probes.clone(), self.limits.clone())),
        )
        .await
    }

    /// Stops the server gracefully; an error if it failed or panicked.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        match self.running.take() {
            Some(running) => running.stop().await,
            None => Ok(()),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which async code may not do: let it go in
        // the background (after `stop`, nothing is left running on it).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
