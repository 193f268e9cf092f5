//! Exercise 33: who may call what, in a tower layer (chapter 6, authorization).
//!
//! Authentication answers "who are you?", authorization "may you?". A tonic
//! interceptor never sees which method is called, so the check is a tower layer
//! over the server's HTTP requests: it names the caller from a bearer token, then
//! asks a policy of allow and deny rules, in the spirit of grpc's authorization
//! policies (gRFC A43). Two refusals, two codes: UNAUTHENTICATED for credentials
//! that name nobody, PERMISSION_DENIED for a caller the policy does not allow.
//! The layer is written; `decide` and `refusal` are yours.

use std::sync::Arc;
use std::task::{Context, Poll};

use subtle::ConstantTimeEq;
use tonic::Status;
use tonic::codegen::http;
use tower::{Layer, Service};

/// One rule: which callers, calling which methods. An empty list matches anything.
#[derive(Debug, Clone, Default)]
pub struct Rule {
    /// Callers by subject; empty matches every caller, even one with no token.
    pub principals: Vec<String>,
    /// Method paths: `/pkg.Service/Method`, or `/pkg.Service/*` for all of a service's.
    pub paths: Vec<String>,
}

impl Rule {
    /// Whether this rule is about `principal` calling `path`.
    pub fn matches(&self, principal: Option<&str>, path: &str) -> bool {
        let caller = self.principals.is_empty()
            || principal.is_some_and(|p| self.principals.iter().any(|want| want == p));
        let method = self.paths.is_empty()
            || self.paths.iter().any(|want| match want.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => want == path,
            });
        caller && method
    }
}

/// Allow and deny rules, as grpc's authorization policies have them.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub allow: Vec<Rule>,
    pub deny: Vec<Rule>,
}

/// What the policy says about one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
}

/// The policy's answer for `principal` calling `path`: a matching deny rule wins
/// over any allow rule, and a call no allow rule matches is denied too.
pub fn decide(policy: &Policy, principal: Option<&str>, path: &str) -> Decision {
    // TODO: deny rules first (one match denies), then allow rules (one match
    // allows); a call no rule allows is denied.
    todo!("deny wins, then allow, else deny")
}

/// The bearer tokens the server issued, each to one subject.
#[derive(Clone, Default)]
pub struct Tokens(pub Vec<(String, String)>);

impl Tokens {
    /// The subject whose token `presented` is, compared in constant time.
    pub fn subject_of(&self, presented: &[u8]) -> Option<String> {
        let mut subject = None;
        for (who, token) in &self.0 {
            if bool::from(token.as_bytes().ct_eq(presented)) {
                subject = Some(who.clone());
            }
        }
        subject
    }
}

/// The answer the layer gives a call before the service sees it; `None` lets it
/// through. No `authorization` header: the caller is anonymous and the policy
/// decides. A header that is not `Bearer <a token we issued>` (or more than one
/// header): UNAUTHENTICATED. A caller the policy denies: PERMISSION_DENIED.
pub fn refusal(
    policy: &Policy,
    tokens: &Tokens,
    headers: &http::HeaderMap,
    path: &str,
) -> Option<Status> {
    // TODO: read the `authorization` header(s) into the caller's subject (or
    // none), refusing what names nobody; then ask `decide`.
    todo!("UNAUTHENTICATED, PERMISSION_DENIED, or through")
}

/// Puts [`refusal`] in front of every service of a server.
#[derive(Clone)]
pub struct AuthzLayer {
    pub policy: Arc<Policy>,
    pub tokens: Arc<Tokens>,
}

impl<S> Layer<S> for AuthzLayer {
    type Service = Authorize<S>;
    fn layer(&self, inner: S) -> Authorize<S> {
        Authorize {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`AuthzLayer`] builds.
#[derive(Clone)]
pub struct Authorize<S> {
    inner: S,
    layer: AuthzLayer,
}

impl<S, B, R> Service<http::Request<B>> for Authorize<S>
where
    S: Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    R: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let AuthzLayer { policy, tokens } = &self.layer;
        match refusal(policy, tokens, request.headers(), request.uri().path()) {
            Some(status) => Box::pin(std::future::ready(Ok(status.into_http()))),
            None => Box::pin(self.inner.call(request)),
        }
    }
}
