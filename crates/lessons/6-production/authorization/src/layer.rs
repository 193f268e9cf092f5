//! The tower layer that asks the policy about every call before the service sees it.
//!
//! Two questions, two codes: "who are you?" is the [`Identify`] step, and a caller
//! whose credentials name nobody gets `UNAUTHENTICATED`; "may you?" is the
//! [`Policy`], and a caller it does not allow gets `PERMISSION_DENIED`. A tonic
//! interceptor would see the metadata but not the method path, so this is a layer.

use std::sync::Arc;
use std::task::{Context, Poll};

use tonic::Status;
use tower::{Layer, Service};

use crate::policy::{Call, Decision, Policy};

// ANCHOR: identify
/// Names the caller of one request: the authentication half.
pub trait Identify: Send + Sync + 'static {
    /// `Ok(Some(principal))` for a caller who proved who they are, `Ok(None)` for
    /// one who sent no credentials (the policy decides what they may do), and
    /// `Err(UNAUTHENTICATED)` for credentials that name nobody.
    fn identify<B>(&self, request: &http::Request<B>) -> Result<Option<String>, Status>;
}
// ANCHOR_END: identify

// ANCHOR: layer
/// Wraps every service of a server in the policy check.
pub struct AuthzLayer<I> {
    policy: Arc<Policy>,
    identify: Arc<I>,
}

impl<I> AuthzLayer<I> {
    /// Judges calls by `policy`, naming callers with `identify`.
    pub fn new(policy: Policy, identify: I) -> Self {
        Self {
            policy: Arc::new(policy),
            identify: Arc::new(identify),
        }
    }
}

impl<I> Clone for AuthzLayer<I> {
    fn clone(&self) -> Self {
        Self {
            policy: self.policy.clone(),
            identify: self.identify.clone(),
        }
    }
}

impl<S, I> Layer<S> for AuthzLayer<I> {
    type Service = Authorize<S, I>;

    fn layer(&self, inner: S) -> Self::Service {
        Authorize {
            inner,
            policy: self.policy.clone(),
            identify: self.identify.clone(),
        }
    }
}

/// The service [`AuthzLayer`] builds: refused calls are answered here, the rest passed on.
pub struct Authorize<S, I> {
    inner: S,
    policy: Arc<Policy>,
    identify: Arc<I>,
}

impl<S: Clone, I> Clone for Authorize<S, I> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            policy: self.policy.clone(),
            identify: self.identify.clone(),
        }
    }
}
// ANCHOR_END: layer

// ANCHOR: call
/// What a refused caller is told: that it was refused, not which rule refused it
/// (the policy is the server's business; its log has the rule's name).
pub const DENIED: &str = "authz: unauthorized RPC request rejected";

impl<S, I, ReqBody, ResBody> Service<http::Request<ReqBody>> for Authorize<S, I>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    I: Identify,
    ResBody: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> Self::Future {
        let refused = match self.identify.identify(&request) {
            Err(status) => Some(status),
            Ok(principal) => {
                let call = Call {
                    path: request.uri().path(),
                    principal: principal.as_deref(),
                    headers: request.headers(),
                };
                match self.policy.decide(&call) {
                    Decision::Allow { .. } => None,
                    Decision::DeniedBy { .. } | Decision::NotAllowed => {
                        Some(Status::permission_denied(DENIED))
                    }
                }
            }
        };
        match refused {
            // Trailers-only: the status travels in the response headers.
            Some(status) => Box::pin(std::future::ready(Ok(status.into_http()))),
            None => Box::pin(self.inner.call(request)),
        }
    }
}
// ANCHOR_END: call
