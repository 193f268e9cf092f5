//! A unary call on the pool: queue the handler, and wait for its reply.

use std::panic::{AssertUnwindSafe, catch_unwind};

use tokio::sync::oneshot;
use tonic::Status;

use super::{Done, START_WITHIN, WorkerPool};

impl WorkerPool {
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
        let (reply, mut result) = oneshot::channel();
        self.owner.0.submit(Box::new(move |done: &Done<'_>| {
            if reply.is_closed() {
                return; // the caller gave up while the call was queued
            }
            let result = catch_unwind(AssertUnwindSafe(job))
                .unwrap_or_else(|_| Err(Status::internal("the handler panicked")));
            done.now(); // counted before the caller can see the reply
            let _ = reply.send(result);
        }));
        // Not done within START_WITHIN: the call may be queued behind workers
        // busy in slow handlers, so ask the pool for one more worker.
        let outcome = match tokio::time::timeout(START_WITHIN, &mut result).await {
            Ok(outcome) => outcome,
            Err(_) => {
                self.owner.0.spur();
                result.await
            }
        };
        outcome.map_err(|_| Status::internal("the worker pool is gone"))?
    }
}
