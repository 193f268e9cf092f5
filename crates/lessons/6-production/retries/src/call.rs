//! A unary call as a value a tower middleware can clone and send again.
//!
//! Retrying and hedging send the same request twice, so the request must be
//! `Clone`. tonic's `http::Request<Body>` is not (its body is a stream), and
//! neither is `tonic::Request` (its extensions). The message is: prost types derive
//! `Clone`. So the middleware sits *above* the codec: a `Call` is the method's path,
//! the message and the call's deadline, and `Unary` is a tower `Service` that makes
//! it with tonic's generic client, as generated clients do.
//!
//! It also names a lost connection as the gRPC spec does. A call caught by a
//! server's GOAWAY, or on a connection that broke, is `UNAVAILABLE` there; tonic
//! 0.14 says `INTERNAL` ("h2 protocol error"), `CANCELLED` ("operation was
//! canceled") or `UNKNOWN` ("transport error"): codes a retry policy rightly
//! leaves alone.

use std::marker::PhantomData;
use std::task::{Context, Poll};
use std::time::Duration;

use http::uri::PathAndQuery;
use tokio::time::Instant;
use tonic::client::Grpc;
use tonic::transport::Channel;
use tonic::{Code, Request, Status, TimeoutExpired};
use tonic_prost::ProstCodec;

/// One unary call: which method, what message, until when.
#[derive(Debug, Clone)]
pub struct Call<M> {
    /// The method's path, `/package.Service/Method`.
    pub path: &'static str,
    /// The request message.
    pub message: M,
    /// When the whole call (every attempt) must be over.
    pub deadline: Instant,
}

impl<M> Call<M> {
    /// A call to `path` that must be over within `timeout` from now.
    pub fn new(path: &'static str, message: M, timeout: Duration) -> Self {
        let deadline = Instant::now() + timeout;
        Call {
            path,
            message,
            deadline,
        }
    }
}

/// Makes `Call`s with `Req` messages on a channel, answering `Resp`.
#[derive(Debug)]
pub struct Unary<Req, Resp> {
    grpc: Grpc<Channel>,
    messages: PhantomData<fn(Req) -> Resp>,
}

impl<Req, Resp> Clone for Unary<Req, Resp> {
    fn clone(&self) -> Self {
        Unary {
            grpc: self.grpc.clone(),
            messages: PhantomData,
        }
    }
}

impl<Req, Resp> Unary<Req, Resp> {
    /// Calls over `channel`.
    pub fn new(channel: Channel) -> Self {
        Unary {
            grpc: Grpc::new(channel),
            messages: PhantomData,
        }
    }
}

impl<Req, Resp> tower::Service<Call<Req>> for Unary<Req, Resp>
where
    Req: prost::Message + Send + 'static,
    Resp: prost::Message + Default + Send + 'static,
{
    type Response = Resp;
    type Error = Status;
    type Future = std::pin::Pin<Box<dyn Future<Output = Result<Resp, Status>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Status>> {
        Poll::Ready(Ok(())) // `call` waits for the channel itself
    }

    fn call(&mut self, call: Call<Req>) -> Self::Future {
        let mut grpc = self.grpc.clone();
        Box::pin(async move {
            // Each attempt gets what is left of the call's deadline as its
            // grpc-timeout, so the server stops too when the call is over.
            let left = call.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Status::deadline_exceeded("the call's deadline has passed"));
            }
            let mut request = Request::new(call.message);
            request.set_timeout(left);
            let attempt = async {
                grpc.ready()
                    .await
                    .map_err(|e| Status::unavailable(format!("channel not ready: {e}")))?;
                let codec = ProstCodec::<Req, Resp>::default();
                let path = PathAndQuery::from_static(call.path);
                grpc.unary(request, path, codec).await.map_err(spec_code)
            };
            // The timer covers waiting for a ready connection too, which
            // grpc-timeout does not (a balancer with no healthy member waits).
            let response = tokio::time::timeout(left, attempt)
                .await
                .map_err(|_| Status::deadline_exceeded("the call's deadline has passed"))??;
            Ok(response.into_inner())
        })
    }
}

/// A status tonic's transport made (not one the server sent) is `UNAVAILABLE`,
/// as the spec says, unless it is the call's own timeout.
fn spec_code(status: Status) -> Status {
    let mut from_transport = false;
    let mut cause = std::error::Error::source(&status);
    while let Some(error) = cause {
        if error.is::<TimeoutExpired>() {
            return status;
        }
        from_transport |= error.is::<tonic::transport::Error>();
        cause = error.source();
    }
    if from_transport && status.code() != Code::Unavailable {
        let message = format!(
            "connection lost ({:?}): {}",
            status.code(),
            status.message()
        );
        return Status::unavailable(message);
    }
    status
}
