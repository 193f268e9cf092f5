// ANCHOR: channel
//! The blocking client: grpcio's blocking stub, built from tonic's
//! blocking-client pattern.
//!
//! A [`BlockingChannel`] owns a small tokio runtime and a connected
//! [`Channel`]; each call `block_on`s the async call on it. The runtime has one
//! background thread that keeps the HTTP/2 connection moving (sending requests,
//! answering pings, reopening windows) while the caller's thread is busy, as
//! grpcio's channel does with its own threads.
//!
//! Blocking inside async code is not allowed (tokio panics if a runtime is
//! started on a runtime thread), so an async caller runs the blocking client
//! through [`run_blocking`], on a plain OS thread.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::runtime::Runtime;
use tokio_stream::StreamExt;
use tonic::transport::{Channel, Endpoint};
use tonic::{Response, Status, Streaming};

use crate::to_iter::Responses;
use crate::to_stream::{BoxStream, plain_thread, pull};

/// The client's request iterator as the stream a generated client method takes.
pub type RequestStream<T> = BoxStream<T>;

/// A connection to a server, with blocking calls.
#[derive(Debug)]
pub struct BlockingChannel {
    runtime: Arc<Runtime>,
    channel: Channel,
}

impl BlockingChannel {
    /// Connects to `endpoint` (an address plus HTTP/2 settings), waiting until
    /// the connection is up.
    pub fn connect(endpoint: Endpoint) -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("grpc-channel")
            .enable_all()
            .build()?;
        let channel = runtime
            .block_on(endpoint.connect())
            .with_context(|| format!("cannot connect to {}", endpoint.uri()))?;
        Ok(Self {
            runtime: Arc::new(runtime),
            channel,
        })
    }

    /// The channel, to build a generated client (Python's stub) on.
    pub fn channel(&self) -> Channel {
        self.channel.clone()
    }

    /// Waits for a unary call and returns the reply message.
    pub fn unary<T>(
        &self,
        call: impl Future<Output = Result<Response<T>, Status>>,
    ) -> Result<T, Status> {
        self.runtime.block_on(call).map(Response::into_inner)
    }

    /// Starts a server-streaming call; its replies come out of an iterator.
    pub fn server_stream<T>(
        &self,
        call: impl Future<Output = Result<Response<Streaming<T>>, Status>>,
    ) -> Result<Responses<T>, Status> {
        let streaming = self.runtime.block_on(call)?.into_inner();
        Ok(Responses::new(streaming, self.runtime.clone()))
    }

    /// Starts a bidi call: `requests` is stepped on its own thread, only as
    /// fast as the transport takes messages; the replies come out of an iterator.
    pub fn bidi<Req, T, I, F, Fut>(&self, requests: I, call: F) -> Result<Responses<T>, Status>
    where
        I: Iterator<Item = Req> + Send + 'static,
        Req: Send + 'static,
        F: FnOnce(RequestStream<Req>) -> Fut,
        Fut: Future<Output = Result<Response<Streaming<T>>, Status>>,
    {
        let stream = pull(move || requests, plain_thread("request-iterator"));
        // A panicking request iterator just ends the request stream.
        let stream: RequestStream<Req> = Box::pin(stream.map_while(Result::ok));
        self.server_stream(call(stream))
    }
}
// ANCHOR_END: channel

// ANCHOR: run_blocking
/// Runs a blocking client on a plain OS thread and waits for it without blocking
/// the async caller (how a lesson's async `client` runs blocking code).
///
/// `client` may fail with any error (the listings' `Box<dyn Error + Send + Sync>`,
/// or `anyhow::Error`); it comes back as an `anyhow::Error`.
pub async fn run_blocking<T, E, F>(client: F) -> anyhow::Result<T>
where
    F: FnOnce() -> Result<T, E> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    T: Send + 'static,
{
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("blocking-client".into())
        .spawn(move || {
            let _ = done.send(client().map_err(|error| anyhow::Error::from_boxed(error.into())));
        })?;
    result
        .await
        .map_err(|_| anyhow::anyhow!("the blocking client panicked"))?
}
// ANCHOR_END: run_blocking
