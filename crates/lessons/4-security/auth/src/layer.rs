//! The server's side of call credentials: a tower layer that checks every call.
//!
//! Channel credentials are checked once per connection, by the TLS handshake. Call
//! credentials travel as metadata (HTTP/2 headers) on every call, so something
//! must look at every request before the service does. A tonic `Interceptor` sees
//! the metadata but not the method path, and request signing signs the path; a
//! tower layer sees both, so both token and signature checks plug in here as an
//! [`Authenticator`].

use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::{Either, Ready, ready};
use tonic::Status;
use tower::{Layer, Service};

// ANCHOR: authenticator
/// Decides whether one call may proceed, from its URI, headers and extensions:
/// everything but the body.
///
/// An `Err` becomes the call's status (normally `UNAUTHENTICATED`); its message
/// goes back to the client, so it must explain the refusal without revealing any
/// secret the server holds or the caller sent.
pub trait Authenticator: Send + Sync + 'static {
    /// Checks one call. Over HTTP/2 `call.uri` holds the call's `:authority`
    /// (`host:port`) and its path (`/package.Service/Method`); layers in front of
    /// this one may have left facts in `call.extensions` (the message's digest).
    fn authenticate(&self, call: &http::request::Parts) -> Result<(), Status>;
}
// ANCHOR_END: authenticator

/// Wraps a server's services so every call passes an [`Authenticator`] first.
#[derive(Clone)]
pub struct AuthLayer {
    authenticator: Arc<dyn Authenticator>,
}

impl AuthLayer {
    /// A layer checking calls with `authenticator`.
    pub fn new(authenticator: Arc<dyn Authenticator>) -> Self {
        Self { authenticator }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = RequireAuth<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireAuth {
            inner,
            authenticator: self.authenticator.clone(),
        }
    }
}

/// The service [`AuthLayer`] builds: answers refused calls itself, passes the rest on.
#[derive(Clone)]
pub struct RequireAuth<S> {
    inner: S,
    authenticator: Arc<dyn Authenticator>,
}

// ANCHOR: require_auth
impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for RequireAuth<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    ResBody: Default,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Either<S::Future, Ready<Result<S::Response, S::Error>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> Self::Future {
        let (parts, body) = request.into_parts();
        match self.authenticator.authenticate(&parts) {
            Ok(()) => Either::Left(self.inner.call(http::Request::from_parts(parts, body))),
            Err(status) => {
                let path = parts.uri.path();
                tracing::info!(path, reason = status.message(), "call refused");
                // A gRPC "trailers-only" response: the status travels in the headers.
                Either::Right(ready(Ok(status.into_http())))
            }
        }
    }
}
// ANCHOR_END: require_auth
