//! The idea of the worker pool in a few lines: at most `max_workers` blocking
//! handlers at once, each on a thread of tokio's blocking pool.

use std::sync::Arc;

use tokio::sync::Semaphore;
use tonic::Status;

#[derive(Debug, Clone)]
pub struct SimplePool {
    workers: Arc<Semaphore>,
}

impl SimplePool {
    pub fn new(max_workers: usize) -> Self {
        Self {
            workers: Arc::new(Semaphore::new(max_workers)),
        }
    }

    /// Waits for a free worker, then runs `job` on a thread where blocking is fine.
    pub async fn unary<T, F>(&self, job: F) -> Result<T, Status>
    where
        F: FnOnce() -> Result<T, Status> + Send + 'static,
        T: Send + 'static,
    {
        let worker = self.workers.clone().acquire_owned().await;
        let worker = worker.map_err(|_| Status::unavailable("the pool is closed"))?;
        tokio::task::spawn_blocking(move || {
            let _worker = worker; // freed when the handler returns or panics
            job()
        })
        .await
        .map_err(|_| Status::internal("the handler panicked"))?
    }
}
