//! The worker pool: how many blocking handlers may run at once.
//!
//! The tutorial's servers run handlers on `ThreadPoolExecutor(max_workers=10)`.
//! [`WorkerPool`] is that executor for tonic: a semaphore of `max_workers`
//! permits in front of tokio's blocking threads. A call takes a permit, runs its
//! handler on a blocking thread, and gives the permit back when the handler is
//! done; for a streaming call that is when its iterator is finished or its
//! client is gone. Call number `max_workers + 1` waits for a free permit: it is
//! queued, not refused, exactly as grpcio queues work for its thread pool.

use std::sync::Arc;

use lesson_kit::InFlight;
use tokio::runtime::Handle;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tonic::{Status, Streaming};

use crate::to_iter::Requests;
use crate::to_stream::{BoxStream, IteratorPanicked, pull};

/// The tutorial's `max_workers`.
pub const DEFAULT_MAX_WORKERS: usize = 10;

/// A clap parser for `--max-workers`: a pool needs at least one worker.
pub fn at_least_one() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(1..)
}

/// What a streaming handler returns to tonic: its iterator, as a stream.
pub type ResponseStream<T> = BoxStream<Result<T, Status>>;

/// A bounded pool of threads for blocking handlers.
///
/// Cheap to clone; clones share the permits and the gauge.
#[derive(Clone, Debug)]
pub struct WorkerPool {
    permits: Arc<Semaphore>,
    busy: InFlight,
    max_workers: usize,
}

impl WorkerPool {
    /// A pool running at most `max_workers` handlers at once (at least one).
    pub fn new(max_workers: usize) -> Self {
        Self::with_gauge(max_workers, InFlight::new())
    }

    /// A pool that counts its busy workers on `busy`, a gauge the caller keeps a
    /// clone of (tests read `busy.peak()` to see the limit hold).
    pub fn with_gauge(max_workers: usize, busy: InFlight) -> Self {
        let max_workers = max_workers.max(1);
        Self {
            permits: Arc::new(Semaphore::new(max_workers)),
            busy,
            max_workers,
        }
    }

    /// The most handlers that run at once.
    pub fn max_workers(&self) -> usize {
        self.max_workers
    }

    /// Workers busy now and at most so far.
    pub fn busy(&self) -> &InFlight {
        &self.busy
    }

    // ANCHOR: unary
    /// Runs a blocking unary handler on a worker and waits for its result.
    ///
    /// If every worker is busy this waits for one. If the caller gives up (the
    /// client cancelled), a handler already running still finishes, as a thread
    /// cannot be interrupted, and only then frees its worker.
    pub async fn unary<T, F>(&self, job: F) -> Result<T, Status>
    where
        F: FnOnce() -> Result<T, Status> + Send + 'static,
        T: Send + 'static,
    {
        let permit = self.acquire().await?;
        let busy = self.busy.clone();
        tokio::task::spawn_blocking(move || {
            // Fields drop in order: the gauge counts down before the permit is free.
            let _worker = (busy.enter(), permit);
            job()
        })
        .await
        .map_err(|_| Status::internal("the handler panicked"))?
    }
    // ANCHOR_END: unary

    // ANCHOR: server_stream
    /// Runs a blocking handler that returns an iterator; its items become the
    /// response stream.
    ///
    /// The worker is held for the whole life of the iterator, and `next()` is
    /// called only when the transport wants another message (see [`pull`]).
    pub async fn server_stream<T, I, F>(&self, job: F) -> Result<ResponseStream<T>, Status>
    where
        F: FnOnce() -> I + Send + 'static,
        I: Iterator<Item = T>,
        T: Send + 'static,
    {
        self.stream(move || job().map(Ok)).await
    }
    // ANCHOR_END: server_stream

    // ANCHOR: bidi
    /// Runs a blocking handler that maps the client's messages (an iterator) to
    /// its replies (another iterator), on one worker for the whole call.
    ///
    /// If the request stream breaks (the client vanished, bad data), the handler
    /// sees its iterator end, and the call ends with that error's status.
    pub async fn bidi<Req, T, I, F>(
        &self,
        requests: Streaming<Req>,
        job: F,
    ) -> Result<ResponseStream<T>, Status>
    where
        F: FnOnce(Requests<Req>) -> I + Send + 'static,
        I: Iterator<Item = T>,
        Req: Send + 'static,
        T: Send + 'static,
    {
        let (requests, broken) = Requests::new(requests, Handle::current());
        self.stream(move || {
            let replies = job(requests).map(Ok);
            replies.chain(std::iter::from_fn(move || broken.take().map(Err)))
        })
        .await
    }
    // ANCHOR_END: bidi

    /// Runs a blocking handler that reads the client's messages and returns one
    /// reply (client streaming).
    pub async fn client_stream<Req, T, F>(
        &self,
        requests: Streaming<Req>,
        job: F,
    ) -> Result<T, Status>
    where
        F: FnOnce(&mut Requests<Req>) -> Result<T, Status> + Send + 'static,
        Req: Send + 'static,
        T: Send + 'static,
    {
        let (mut requests, broken) = Requests::new(requests, Handle::current());
        self.unary(move || {
            let reply = job(&mut requests);
            match broken.take() {
                Some(status) => Err(status),
                None => reply,
            }
        })
        .await
    }

    /// Takes a worker for a streaming call and runs `job`'s iterator on it.
    async fn stream<T, I, F>(&self, job: F) -> Result<ResponseStream<T>, Status>
    where
        F: FnOnce() -> I + Send + 'static,
        I: Iterator<Item = Result<T, Status>>,
        T: Send + 'static,
    {
        let permit = self.acquire().await?;
        let busy = self.busy.clone();
        let stream = pull(job, move |feed| {
            tokio::task::spawn_blocking(move || {
                // Fields drop in order: the gauge counts down before the permit is free.
                let _worker = (busy.enter(), permit);
                feed();
            });
        });
        Ok(Box::pin(tokio_stream::StreamExt::map(stream, |item| {
            item.unwrap_or_else(|IteratorPanicked| Err(Status::internal("the handler panicked")))
        })))
    }

    async fn acquire(&self) -> Result<OwnedSemaphorePermit, Status> {
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Status::unavailable("the worker pool is closed"))
    }
}

impl Default for WorkerPool {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_WORKERS)
    }
}
