//! Exercise 35: a retry policy that knows what is safe to retry (chapter 6,
//! retries and hedging).
//!
//! `tower::retry::Retry` sends a failed call again whenever its `Policy` says so.
//! Write the policy: retry only `UNAVAILABLE` (the server did not take the call),
//! only for methods on the idempotent list (running twice is harmless), at most
//! `max_attempts` attempts in all, and never a retry that could not finish before
//! the call's deadline (waiting `backoff` must leave time before it).

use std::collections::HashSet;
use std::task::{Context, Poll};
use std::time::Duration;

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::time::{Instant, Sleep};
use tonic::transport::Channel;
use tonic::{Code, Request, Status};
use tower::retry::Policy;

/// The greeter's one unary method.
pub const SAY_HELLO: &str = "/tutorial.helloworld.v1.GreeterService/SayHello";

/// One call, as a value the retry middleware can clone: method, message, deadline.
#[derive(Debug, Clone)]
pub struct Call<M> {
    pub path: &'static str,
    pub message: M,
    pub deadline: Instant,
}

/// Makes a `SayHello` call, with what is left of its deadline as `grpc-timeout`.
#[derive(Debug, Clone)]
pub struct SayHello(pub GreeterServiceClient<Channel>);

impl tower::Service<Call<SayHelloRequest>> for SayHello {
    type Response = SayHelloResponse;
    type Error = Status;
    type Future = std::pin::Pin<Box<dyn Future<Output = Result<SayHelloResponse, Status>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Status>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, call: Call<SayHelloRequest>) -> Self::Future {
        let mut client = self.0.clone();
        Box::pin(async move {
            let left = call.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Status::deadline_exceeded("sent after the call's deadline"));
            }
            let mut request = Request::new(call.message);
            request.set_timeout(left);
            Ok(client.say_hello(request).await?.into_inner())
        })
    }
}

/// When to try a failed call again.
///
/// tower clones the policy for each call, so `attempts` counts one call's
/// attempts (the first included, once it has finished).
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Paths of the methods that may run twice.
    pub idempotent: HashSet<&'static str>,
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// The wait before each retry.
    pub backoff: Duration,
    pub attempts: u32,
}

impl<M: Clone, R> Policy<Call<M>, R, Status> for RetryPolicy {
    type Future = Sleep;

    fn retry(&mut self, call: &mut Call<M>, result: &mut Result<R, Status>) -> Option<Sleep> {
        // TODO: count this attempt; then `None` (hand the result to the caller)
        // unless it failed with UNAVAILABLE, the path is idempotent, attempts are
        // left and `backoff` ends before the deadline; else wait `backoff`.
        todo!("when to retry")
    }

    fn clone_request(&mut self, call: &Call<M>) -> Option<Call<M>> {
        // TODO: the copy to send if this attempt fails.
        todo!("a copy of the call")
    }
}
