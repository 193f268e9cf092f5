// ANCHOR: echo
//! Tower layers: code around every call, seeing the HTTP request *and* response.
//!
//! - [`EchoLayer`] copies `x-echo-*` request headers into the response headers and
//!   trailers. tonic handlers can set response headers (`response.metadata_mut()`)
//!   but have no API for custom trailers on a successful call, so this layer adds
//!   them to the body's final trailers frame.
//! - [`TimingLayer`] logs each call's path, status and time when its response
//!   headers are ready.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use http::{HeaderName, HeaderValue};
use http_body_util::BodyExt;
use tonic::body::Body;
use tower::{Layer, Service};

type BoxFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

/// Headers with this prefix are echoed back.
pub const ECHO_PREFIX: &str = "x-echo-";

/// Adds [`Echo`] around a service.
#[derive(Debug, Clone, Copy, Default)]
pub struct EchoLayer;

impl<S> Layer<S> for EchoLayer {
    type Service = Echo<S>;
    fn layer(&self, inner: S) -> Echo<S> {
        Echo { inner }
    }
}

/// Echoes `x-echo-*` request headers in the response headers and trailers.
#[derive(Debug, Clone)]
pub struct Echo<S> {
    inner: S,
}

impl<S, B> Service<http::Request<B>> for Echo<S>
where
    S: Service<http::Request<B>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let echo: Vec<(HeaderName, HeaderValue)> = request
            .headers()
            .iter()
            .filter(|(name, _)| name.as_str().starts_with(ECHO_PREFIX))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let response = self.inner.call(request);
        Box::pin(async move {
            let (mut parts, body) = response.await?.into_parts();
            parts.headers.extend(echo.clone());
            // The last frame of a gRPC response body carries the trailers.
            let body = body.map_frame(move |frame| match frame.into_trailers() {
                Ok(mut trailers) => {
                    trailers.extend(echo.clone());
                    http_body::Frame::trailers(trailers)
                }
                Err(frame) => frame,
            });
            Ok(http::Response::from_parts(parts, Body::new(body)))
        })
    }
}
// ANCHOR_END: echo

// ANCHOR: timing
/// Where [`Timing`] sends its lines: `println!`, a `tracing` event, a test's buffer.
type Log = Arc<dyn Fn(String) + Send + Sync>;

/// Adds [`Timing`] around a service.
#[derive(Clone)]
pub struct TimingLayer {
    log: Log,
}

impl TimingLayer {
    /// Hands each call's line to `log`.
    pub fn new(log: impl Fn(String) + Send + Sync + 'static) -> Self {
        Self { log: Arc::new(log) }
    }
}

impl<S> Layer<S> for TimingLayer {
    type Service = Timing<S>;
    fn layer(&self, inner: S) -> Timing<S> {
        Timing {
            inner,
            log: self.log.clone(),
        }
    }
}

/// Logs `path -> status in time` for every call, when its response headers are ready.
#[derive(Clone)]
pub struct Timing<S> {
    inner: S,
    log: Log,
}

impl<S, B> Service<http::Request<B>> for Timing<S>
where
    S: Service<http::Request<B>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let path = request.uri().path().to_owned();
        let log = self.log.clone();
        let started = Instant::now();
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            // An error before any message comes "trailers-only": grpc-status in the headers.
            let status = response
                .headers()
                .get("grpc-status")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("0 (in trailers)");
            log(format!(
                "server: {path} -> grpc-status {status} in {:?}",
                started.elapsed()
            ));
            Ok(response)
        })
    }
}
// ANCHOR_END: timing
