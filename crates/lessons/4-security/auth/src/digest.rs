//! The request message's SHA-256, so a signature can cover the body, not only the headers.
//!
//! Interceptors and the auth layer see a call's headers, never its message. This
//! tower layer reads the request body first (at most [`MAX_SIGNED_BODY`] bytes),
//! puts the SHA-256 of its one gRPC message into the request's extensions as a
//! [`MessageDigest`], and passes the same bytes on. The client's signer and the
//! server's check both read the digest from there, so each side hashes the bytes
//! it really sends or received. A body that is not exactly one uncompressed
//! message (a client-streaming call, a compressed request) gets no digest, and a
//! signed call without one is refused: the scheme signs unary and
//! server-streaming calls, whose one request message is complete before it is sent.

use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::BoxFuture;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use sha2::{Digest, Sha256};
use tonic::Status;
use tonic::body::Body;
use tower::{Layer, Service};

/// The largest request body read: tonic's default message limit (4 MiB), plus
/// the 5-byte gRPC frame header.
pub const MAX_SIGNED_BODY: usize = 4 * 1024 * 1024 + 5;

/// The SHA-256 of a call's request message (its protobuf bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageDigest(pub [u8; 32]);

impl MessageDigest {
    /// The digest of `body` when it is exactly one uncompressed gRPC message:
    /// a 0 flag byte, a 4-byte big-endian length, and that many bytes.
    pub fn of_body(body: &[u8]) -> Option<Self> {
        let ([flag, length @ ..], message) = body.split_first_chunk::<5>()?;
        let whole = *flag == 0 && u32::from_be_bytes(*length) as usize == message.len();
        whole.then(|| Self(Sha256::digest(message).into()))
    }

    /// The digest as 64 lower-case hex digits, as the string to sign has it.
    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

/// Adds the [`MessageDigest`] of each request's body to its extensions.
#[derive(Debug, Clone, Copy, Default)]
pub struct DigestLayer;

impl<S> Layer<S> for DigestLayer {
    type Service = Digested<S>;

    fn layer(&self, inner: S) -> Digested<S> {
        Digested { inner }
    }
}

/// The service [`DigestLayer`] builds.
#[derive(Debug, Clone)]
pub struct Digested<S> {
    inner: S,
}

/// Errors of either side; a [`Status`] among them reaches the caller as that status
/// (tonic looks for one, client and server alike).
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
        // The service that was polled ready goes with this call; a clone stays.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let bytes = match Limited::new(body, MAX_SIGNED_BODY).collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(error) if error.is::<LengthLimitError>() => {
                    return Err(
                        Status::resource_exhausted("request message too large to sign").into(),
                    );
                }
                Err(_) => return Err(Status::cancelled("request body not received").into()),
            };
            if let Some(digest) = MessageDigest::of_body(&bytes) {
                parts.extensions.insert(digest);
            }
            let request = http::Request::from_parts(parts, Body::new(Full::new(bytes)));
            inner.call(request).await.map_err(Into::into)
        })
    }
}
