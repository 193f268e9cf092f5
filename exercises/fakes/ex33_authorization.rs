//! Exercise 33, a fake answer: allow rules are checked first, so a caller both
//! allowed and denied gets in. The deny-wins tests must fail on it.
//!
//! fails: deny_rules_win_and_unmatched_calls_are_denied over_a_real_server_each_caller_gets_its_code

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
    if policy
        .allow
        .iter()
        .any(|rule| rule.matches(principal, path))
    {
        return Decision::Allow;
    }
    Decision::Deny
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
    let mut values = headers.get_all("authorization").iter();
    let principal = match (values.next(), values.next()) {
        (None, _) => None,
        (Some(value), None) => {
            let subject = value
                .as_bytes()
                .strip_prefix(b"Bearer ")
                .and_then(|presented| tokens.subject_of(presented));
            match subject {
                Some(subject) => Some(subject),
                None => return Some(Status::unauthenticated("unknown token")),
            }
        }
        (Some(_), Some(_)) => {
            return Some(Status::unauthenticated(
                "more than one authorization header",
            ));
        }
    };
    match decide(policy, principal.as_deref(), path) {
        Decision::Allow => None,
        Decision::Deny => Some(Status::permission_denied("not allowed by the policy")),
    }
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
