//! A tower layer that counts the calls a server has in progress, from outside
//! the service: the tutorial's handler stays the tutorial's handler.
//!
//! Added with `Server::builder().layer(...)` in a lesson's `main.rs` glue or in a
//! test, never in a listing. It can also hold every call at a barrier (tests prove
//! concurrency by counting, not timing) and report the count to the client in a
//! response header (demos print it).
//!
//! A call counts as in progress until its response body is done: for a stream,
//! until the last message and trailers are sent (the call *completed*), or until
//! the body is dropped because the client hung up (the call was *abandoned*; the
//! handler's stream was dropped with it).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http_body::Frame;
use tokio::sync::Barrier;
use tonic::body::Body;
use tonic::codegen::{Bytes, http};
use tower::{Layer, Service};

use crate::InFlight;
use crate::gauge::InFlightGuard;

/// Counts every call into an [`InFlight`] gauge while it is in progress.
#[derive(Clone, Debug, Default)]
pub struct InFlightLayer {
    gauge: InFlight,
    rendezvous: Option<Arc<Barrier>>,
    header: Option<http::HeaderName>,
}

impl InFlightLayer {
    /// A layer counting into `gauge` (keep a clone to read it).
    pub fn new(gauge: InFlight) -> Self {
        Self {
            gauge,
            ..Self::default()
        }
    }

    /// Makes every call wait at `rendezvous` after it has counted itself in
    /// progress: a barrier for N opens only once N calls are in progress together.
    pub fn with_rendezvous(mut self, rendezvous: Arc<Barrier>) -> Self {
        self.rendezvous = Some(rendezvous);
        self
    }

    /// Sends the count at the start of each call (this call included) back in the
    /// response header `name`.
    pub fn with_header(mut self, name: &'static str) -> Self {
        self.header = Some(http::HeaderName::from_static(name));
        self
    }
}

impl<S> Layer<S> for InFlightLayer {
    type Service = InFlightService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        InFlightService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`InFlightLayer`] wraps around a server's routes.
#[derive(Clone, Debug)]
pub struct InFlightService<S> {
    inner: S,
    layer: InFlightLayer,
}

impl<S, B> Service<http::Request<B>> for InFlightService<S>
where
    S: Service<http::Request<B>, Response = http::Response<Body>> + Clone + Send + 'static,
    S::Future: Send,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // The clone that was polled ready serves this call (tower's usual swap).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            let guard = layer.gauge.enter();
            let now = layer.gauge.current();
            if let Some(rendezvous) = &layer.rendezvous {
                rendezvous.wait().await;
            }
            let mut response = inner.call(request).await?;
            if let Some(name) = layer.header {
                response.headers_mut().insert(name, now.into());
            }
            Ok(response.map(|body| Body::new(CountedBody { body, guard })))
        })
    }
}

/// A response body that holds its call's guard until the body is done or dropped.
struct CountedBody {
    body: Body,
    guard: InFlightGuard,
}

impl http_body::Body for CountedBody {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let frame = Pin::new(&mut self.body).poll_frame(cx);
        match &frame {
            Poll::Ready(None) => self.guard.complete(),
            Poll::Ready(Some(Ok(frame))) if frame.is_trailers() => self.guard.complete(),
            _ => {}
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}
