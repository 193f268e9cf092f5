// ANCHOR: requests
//! Stream → Iterator: reading an incoming gRPC stream with a plain `for` loop.
//!
//! A blocking handler receives the client's messages as [`Requests`] and a
//! blocking client reads the server's as [`Responses`]: each `next()` waits for
//! one message on the tokio runtime (`Handle::block_on`). That wait is also
//! when HTTP/2 learns the message was consumed and may reopen the sender's
//! window, so a slow `for` loop slows the sender down.

use std::sync::{Arc, Mutex};

use tokio::runtime::{Handle, Runtime};
use tonic::{Status, Streaming};

/// The client's messages, as the iterator a blocking handler loops over
/// (Python's `request_iterator`).
///
/// The iteration ends when the client closes its side; it also ends if the call
/// breaks (the client vanished, a message did not decode). The error is kept for
/// the pool, which ends the response stream with it.
pub struct Requests<T> {
    streaming: Streaming<T>,
    runtime: Handle,
    error: Arc<Mutex<Option<Status>>>,
}

impl<T> Iterator for Requests<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self.runtime.block_on(self.streaming.message()) {
            Ok(message) => message,
            Err(status) => {
                tracing::debug!("request stream ended: {status}");
                *self.error.lock().unwrap_or_else(|p| p.into_inner()) = Some(status);
                None
            }
        }
    }
}
// ANCHOR_END: requests

// ANCHOR: rest
impl<T> Requests<T> {
    /// Wraps `streaming`; `next()` must then be called off the runtime's own
    /// threads (a pool worker), where blocking is allowed.
    pub(crate) fn new(streaming: Streaming<T>, runtime: Handle) -> (Self, RequestError) {
        let error = Arc::new(Mutex::new(None));
        let requests = Self {
            streaming,
            runtime,
            error: error.clone(),
        };
        (requests, RequestError(error))
    }
}

/// The error that ended a [`Requests`] iteration early, if any.
#[derive(Clone, Debug)]
pub(crate) struct RequestError(Arc<Mutex<Option<Status>>>);

impl RequestError {
    /// Takes the error out (once).
    pub(crate) fn take(&self) -> Option<Status> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// The server's messages, as the iterator a blocking client loops over.
///
/// Unlike [`Requests`], errors are items: a client must be able to tell a
/// finished stream from a broken one, as Python's iterator raises `RpcError`.
/// Dropping it cancels the call.
pub struct Responses<T> {
    streaming: Streaming<T>,
    runtime: Arc<Runtime>,
    finished: bool,
}

impl<T> Responses<T> {
    pub(crate) fn new(streaming: Streaming<T>, runtime: Arc<Runtime>) -> Self {
        Self {
            streaming,
            runtime,
            finished: false,
        }
    }
}

impl<T> Iterator for Responses<T> {
    type Item = Result<T, Status>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let next = self.runtime.block_on(self.streaming.message());
        self.finished = !matches!(next, Ok(Some(_)));
        next.transpose()
    }
}

impl<T> std::fmt::Debug for Requests<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Requests")
    }
}

impl<T> std::fmt::Debug for Responses<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Responses")
    }
}
// ANCHOR_END: rest
