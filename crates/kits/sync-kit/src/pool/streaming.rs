//! Streaming calls on the pool: the handler's iterator keeps its worker.

use tokio::runtime::Handle;
use tonic::{Status, Streaming};

use super::{ResponseStream, WorkerPool};
use crate::to_iter::Requests;

impl WorkerPool {
    /// Runs a blocking handler that returns an iterator; its items become the
    /// response stream.
    ///
    /// The worker is held for the whole life of the iterator, and `next()` is
    /// called only when the transport wants another message (see [`pull`](crate::pull)).
    pub async fn server_stream<T, I, F>(&self, job: F) -> Result<ResponseStream<T>, Status>
    where
        F: FnOnce() -> I + Send + 'static,
        I: Iterator<Item = T>,
        T: Send + 'static,
    {
        self.stream(move || job().map(Ok)).await
    }

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
}
