// ANCHOR: head
//! An interceptor: code that sees every request before the handler.
//!
//! A tonic `Interceptor` is a function from `Request<()>` (metadata and extensions,
//! no message) to `Result<Request<()>, Status>`: it can read and add metadata, attach
//! typed values for the handler (extensions), or reject the call. It cannot touch the
//! response; that takes a tower layer ([`crate::layers`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tonic::{Request, Status};

/// The metadata key clients use to name their request.
pub const REQUEST_ID: &str = "x-request-id";

/// The request id the handler echoes, from the client or made up here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);
// ANCHOR_END: head

// ANCHOR: interceptor
/// Gives every request an id: the client's `x-request-id`, or `server-N`.
///
/// An id that is not printable ASCII is rejected with `INVALID_ARGUMENT`.
pub fn request_ids() -> impl FnMut(Request<()>) -> Result<Request<()>, Status> + Clone {
    let next = Arc::new(AtomicU64::new(1));
    move |mut request: Request<()>| {
        let id = match request.metadata().get(REQUEST_ID) {
            Some(value) => value
                .to_str()
                .map_err(|_| Status::invalid_argument("x-request-id must be printable ASCII"))?
                .to_owned(),
            None => format!("server-{}", next.fetch_add(1, Ordering::SeqCst)),
        };
        request.extensions_mut().insert(RequestId(id));
        Ok(request)
    }
}
// ANCHOR_END: interceptor
