// ANCHOR: head
//! A concurrency limit that sheds: at most N calls in progress across every
//! connection, and a call that cannot get a slot within a bound fails with
//! `RESOURCE_EXHAUSTED` instead of queueing forever.
//!
//! tower's `ConcurrencyLimitLayer` waits for a slot in `poll_ready`, before tonic's
//! `timeout` starts (tonic times only the call): nothing on the server bounds that
//! wait, and a call queues until its client gives up. `load_shed` fixes that by never
//! waiting at all, which fails a short burst a server could have absorbed. This layer
//! waits, but only so long, and inside `call`, so tonic's `timeout` (which wraps it)
//! counts the wait too: `max_wait` must be shorter than that timeout.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::Semaphore;
use tonic::Status;
use tower::{BoxError, Layer, Service};
// ANCHOR_END: head

// ANCHOR: slots
/// At most `slots` calls in progress, shared by every connection; a call waits
/// at most `max_wait` for one, then fails with `RESOURCE_EXHAUSTED`.
#[derive(Debug, Clone)]
pub struct SlotsLayer {
    slots: Arc<Semaphore>,
    max_wait: Duration,
}

impl SlotsLayer {
    /// `slots` calls at once; `max_wait` is the longest a call queues for one.
    pub fn new(slots: usize, max_wait: Duration) -> Self {
        let slots = Arc::new(Semaphore::new(slots));
        Self { slots, max_wait }
    }
}

impl<S> Layer<S> for SlotsLayer {
    type Service = Slots<S>;

    fn layer(&self, inner: S) -> Slots<S> {
        let (slots, max_wait) = (self.slots.clone(), self.max_wait);
        Slots {
            inner,
            slots,
            max_wait,
        }
    }
}

/// The service [`SlotsLayer`] wraps around tonic's routes.
#[derive(Debug, Clone)]
pub struct Slots<S> {
    inner: S,
    slots: Arc<Semaphore>,
    max_wait: Duration,
}

impl<S, R> Service<R> for Slots<S>
where
    S: Service<R> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    R: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // Ready at once: the waiting happens in `call`, where it can be bounded.
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: R) -> Self::Future {
        // Keep the service that was made ready; leave a fresh clone in its place.
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        let (slots, max_wait) = (self.slots.clone(), self.max_wait);
        Box::pin(async move {
            let Ok(Ok(_slot)) = tokio::time::timeout(max_wait, slots.acquire_owned()).await else {
                let busy = format!("server busy: no free slot within {max_wait:?}");
                return Err(Status::resource_exhausted(busy).into());
            };
            // The slot is held until the handler has answered.
            inner.call(request).await.map_err(Into::into)
        })
    }
}
// ANCHOR_END: slots
