//! The worker pool: how many blocking handlers may run at once.
//!
//! The tutorial's servers run handlers on `ThreadPoolExecutor(max_workers=10)`.
//! [`WorkerPool`] is that executor for tonic: at most `max_workers` threads,
//! started one by one as calls need them and then kept, take calls from one
//! queue and run their handlers. Call number `max_workers + 1` waits in the
//! queue until a worker is free: it is queued, not refused, exactly as grpcio
//! queues work for its thread pool. A streaming call keeps its worker until its
//! iterator is finished or its client is gone.
//!
//! Handing a call to another thread costs a wake-up (a context switch) when that
//! thread is asleep, so the pool wakes a worker only when none is already
//! looking for work, and a worker that finishes a call looks at the queue again,
//! briefly, before it sleeps. Under load a worker goes from call to call without
//! sleeping; see the measurements on the blocking-layer page of the book.
//!
//! The calls live in their own files: [`WorkerPool::unary`] in `pool/unary.rs`,
//! the streaming ones in `pool/streaming.rs`.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tonic::Status;

use crate::to_stream::{BoxStream, IteratorPanicked, pull};

// The calls, each shown on the blocking-layer page; this file is the machinery.
mod streaming;
mod unary;

/// The tutorial's `max_workers`.
pub const DEFAULT_MAX_WORKERS: usize = 10;

/// How long a worker that ran out of calls keeps looking before it sleeps.
const LOOK_AGAIN_FOR: Duration = Duration::from_micros(20);

/// How long a queued call waits for the worker already looking before the pool
/// wakes another one (that worker may be stuck in a slow handler).
const START_WITHIN: Duration = Duration::from_millis(1);

/// A clap parser for `--max-workers`: a pool needs at least one worker.
pub fn at_least_one() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(1..)
}

/// What a streaming handler returns to tonic: its iterator, as a stream.
pub type ResponseStream<T> = BoxStream<Result<T, Status>>;

/// A job for a worker: a whole unary handler, or a stream's feeding loop. It
/// may call [`Done::now`] to be counted as finished before it hands its result over.
type Job = Box<dyn FnOnce(&Done<'_>) + Send>;

/// Counts a job as finished, once: when it says so, or else when it returns.
struct Done<'a> {
    shared: &'a Shared,
    counted: std::cell::Cell<bool>,
}

impl Done<'_> {
    fn now(&self) {
        if !self.counted.replace(true) {
            let mut state = self.shared.lock();
            state.busy -= 1;
            state.finished += 1;
        }
    }
}

/// A bounded pool of threads for blocking handlers.
///
/// Cheap to clone; clones share the workers. The threads end when the last
/// clone is dropped and the queue is empty.
#[derive(Clone, Debug)]
pub struct WorkerPool {
    owner: Arc<Owner>,
}

/// Closes the pool when the last [`WorkerPool`] clone goes.
#[derive(Debug)]
struct Owner(Arc<Shared>);

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    max_workers: usize,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Job>,
    /// Worker threads started so far (never more than `max_workers`).
    threads: usize,
    /// Workers awake and looking for a call, or woken and about to look.
    looking: usize,
    /// Workers asleep on `wake`.
    sleeping: usize,
    /// Wake-ups sent and not yet taken by a sleeping worker.
    wakeups: usize,
    busy: usize,
    peak: usize,
    finished: u64,
    closed: bool,
}

impl WorkerPool {
    /// A pool running at most `max_workers` handlers at once (at least one).
    pub fn new(max_workers: usize) -> Self {
        let shared = Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            max_workers: max_workers.max(1),
        };
        Self {
            owner: Arc::new(Owner(Arc::new(shared))),
        }
    }

    /// The most handlers that run at once.
    pub fn max_workers(&self) -> usize {
        self.owner.0.max_workers
    }

    /// Handlers running now.
    pub fn busy(&self) -> usize {
        self.owner.0.lock().busy
    }

    /// The most handlers that ran at once so far.
    pub fn peak_busy(&self) -> usize {
        self.owner.0.lock().peak
    }

    /// Handlers that have returned so far (a streaming call's, when its
    /// iterator is done or its client gone).
    pub fn finished(&self) -> u64 {
        self.owner.0.lock().finished
    }

    /// Takes a worker for a streaming call and runs `job`'s iterator on it.
    async fn stream<T, I, F>(&self, job: F) -> Result<ResponseStream<T>, Status>
    where
        F: FnOnce() -> I + Send + 'static,
        I: Iterator<Item = Result<T, Status>>,
        T: Send + 'static,
    {
        let shared = self.owner.0.clone();
        let stream = pull(job, move |feed| {
            shared.submit(Box::new(move |_: &Done<'_>| feed()));
            // A stream holds its worker for long: if this one must wait for a
            // worker, make sure one is woken or started for it.
            tokio::spawn(async move {
                tokio::time::sleep(START_WITHIN).await;
                shared.spur();
            });
        });
        Ok(Box::pin(tokio_stream::StreamExt::map(stream, |item| {
            item.unwrap_or_else(|IteratorPanicked| Err(Status::internal("the handler panicked")))
        })))
    }
}

impl Default for WorkerPool {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_WORKERS)
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.closed = true;
        drop(state);
        self.0.wake.notify_all();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A job never runs under the lock, so a poisoned lock still holds good counts.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `job`, and wakes or starts a worker only if none is looking already.
    fn submit(self: &Arc<Self>, job: Job) {
        let mut state = self.lock();
        state.queue.push_back(job);
        if state.looking == 0 {
            self.add_looker(state);
        }
        // else: that worker will find the job.
    }

    /// Called when a call has waited [`START_WITHIN`]: if calls are still queued
    /// with no worker looking for them (the workers are all busy, say in slow
    /// handlers), wake or start one more worker, up to `max_workers`.
    fn spur(self: &Arc<Self>) {
        let state = self.lock();
        if state.queue.len() > state.looking {
            self.add_looker(state);
        }
    }

    /// Wakes a sleeping worker, or starts a new one if there is room; with every
    /// worker busy, does nothing: the first one free takes the next call.
    fn add_looker(self: &Arc<Self>, mut state: MutexGuard<'_, State>) {
        if state.sleeping > state.wakeups {
            state.wakeups += 1;
            state.looking += 1;
            drop(state);
            self.wake.notify_one();
        } else if state.threads < self.max_workers {
            state.threads += 1;
            state.looking += 1;
            let name = format!("grpc-worker-{}", state.threads);
            drop(state);
            let shared = self.clone();
            let started = std::thread::Builder::new()
                .name(name)
                .spawn(move || shared.work());
            if let Err(error) = started {
                tracing::error!("cannot start a worker thread: {error}");
                let mut state = self.lock();
                state.threads -= 1;
                state.looking -= 1;
            }
        }
    }

    /// A worker's life: take calls from the queue, look again briefly when it
    /// is empty, then sleep until woken.
    fn work(&self) {
        let mut state = self.lock();
        loop {
            // `looking` counts this worker here.
            if let Some(job) = state.queue.pop_front() {
                state.looking -= 1;
                state.busy += 1;
                state.peak = state.peak.max(state.busy);
                drop(state);
                // A panicking handler drops its reply channel: the caller sees
                // INTERNAL, and this worker carries on.
                let done = Done {
                    shared: self,
                    counted: std::cell::Cell::new(false),
                };
                let _ = catch_unwind(AssertUnwindSafe(|| job(&done)));
                done.now();
                state = self.lock();
                state.looking += 1;
                continue;
            }
            drop(state);
            let found = self.look_again();
            state = self.lock();
            if found || !state.queue.is_empty() {
                continue;
            }
            if state.closed {
                state.looking -= 1;
                state.threads -= 1;
                return;
            }
            state.looking -= 1;
            state.sleeping += 1;
            while state.wakeups == 0 && !state.closed {
                state = self.wake.wait(state).unwrap_or_else(|p| p.into_inner());
            }
            state.sleeping -= 1;
            if state.wakeups > 0 {
                state.wakeups -= 1; // `submit` counted this worker as looking
            } else {
                state.looking += 1; // closed: look once more, then leave
            }
        }
    }

    /// Spins for up to [`LOOK_AGAIN_FOR`], yielding the CPU, until a job is queued.
    fn look_again(&self) -> bool {
        let until = Instant::now() + LOOK_AGAIN_FOR;
        while Instant::now() < until {
            std::thread::yield_now();
            if !self.lock().queue.is_empty() {
                return true;
            }
        }
        false
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("WorkerPool")
            .field("max_workers", &self.max_workers)
            .field("threads", &state.threads)
            .field("busy", &state.busy)
            .field("queued", &state.queue.len())
            .finish()
    }
}
