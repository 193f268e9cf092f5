//! The SHA-256 of a call's request message, so a signature covers the body too.
//! Interceptors see headers, never the message. This tower layer reads the body (at
//! most [`MAX_SIGNED_BODY`] bytes), puts the SHA-256 of its one gRPC message in the
//! request's extensions and passes the same bytes on, so each side hashes what it
//! really sends or receives. A body that is not one uncompressed message (client
//! streaming, compression) gets no digest, and a signed call without one is refused.

use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::BoxFuture;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use sha2::{Digest, Sha256};
use tonic::Status;
use tonic::body::Body;
use tower::{Layer, Service};

/// The largest body read: tonic's default message limit plus the 5-byte frame header.
pub const MAX_SIGNED_BODY: usize = 4 * 1024 * 1024 + 5;

/// The SHA-256 of a call's request message (its protobuf bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageDigest(pub [u8; 32]);

impl MessageDigest {
    /// The digest of `body` if it is one uncompressed gRPC message (0, length, bytes).
    pub fn of_body(body: &[u8]) -> Option<Self> {
        let ([flag, length @ ..], message) = body.split_first_chunk::<5>()?;
        let whole = *flag == 0 && u32::from_be_bytes(*length) as usize == message.len();
        whole.then(|| Self(Sha256::digest(message).into()))
    }
}

/// Adds the [`MessageDigest`] of each request's body to its extensions; on the
/// server, refuses the calls its check refuses (the client's is `default()`).
#[derive(Clone, Default)]
pub struct DigestLayer(Option<Check>);

/// A check of a call, its digest known (the server's signature check).
type Check = Arc<dyn Fn(&http::Request<Body>) -> Result<(), Status> + Send + Sync>;

impl DigestLayer {
    /// The server's layer: digests, then lets in only calls that pass `check`.
    pub fn checking<F: Fn(&http::Request<Body>) -> Result<(), Status> + Send + Sync + 'static>(
        check: F,
    ) -> Self {
        Self(Some(Arc::new(check)))
    }
}

impl<S> Layer<S> for DigestLayer {
    type Service = Digested<S>;

    fn layer(&self, inner: S) -> Digested<S> {
        let check = self.0.clone();
        Digested { inner, check }
    }
}

#[derive(Clone)]
pub struct Digested<S> {
    inner: S,
    check: Option<Check>,
}

/// A [`Status`] among these reaches the caller as that status (tonic looks for one).
type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl<S, B> Service<http::Request<B>> for Digested<S>
where
    S: Service<http::Request<Body>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<S::Response, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // The service polled ready goes with this call; a clone stays.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let check = self.check.clone();
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let bytes = match Limited::new(body, MAX_SIGNED_BODY).collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(error) if error.is::<LengthLimitError>() => {
                    let status = Status::resource_exhausted("request message too large to sign");
                    return Err(status.into());
                }
                Err(_) => return Err(Status::cancelled("request body not received").into()),
            };
            if let Some(digest) = MessageDigest::of_body(&bytes) {
                parts.extensions.insert(digest);
            }
            let request = http::Request::from_parts(parts, Body::new(Full::new(bytes)));
            if let Some(check) = check {
                check(&request)?;
            }
            inner.call(request).await.map_err(Into::into)
        })
    }
}
