//! Exercise 20: a bearer token on every call (chapter 4, token auth).
//!
//! The client attaches `authorization: Bearer <token>` metadata to each request;
//! the server refuses calls without the right token with `UNAUTHENTICATED`
//! before any handler runs. Both halves are tonic *interceptors*: functions that
//! see (and may change or refuse) each request's metadata.

use tonic::metadata::MetadataValue;
use tonic::{Request, Status};

/// The shared secret. Real servers load it from configuration, never from code.
pub const TOKEN: &str = "workshop-token";

// ANCHOR: server
/// Server interceptor: lets a request through only with `authorization: Bearer TOKEN`.
pub fn check_token(request: Request<()>) -> Result<Request<()>, Status> {
    // TODO: read the `authorization` metadata; if it is exactly `Bearer {TOKEN}`,
    // return `Ok(request)`, otherwise `Err(Status::unauthenticated(..))`.
    todo!("check the bearer token")
}
// ANCHOR_END: server

// ANCHOR: client
/// Client interceptor: adds `authorization: Bearer TOKEN` to every request.
pub fn attach_token(mut request: Request<()>) -> Result<Request<()>, Status> {
    // TODO: insert the header into `request.metadata_mut()` and return the request.
    todo!("attach the bearer token")
}
// ANCHOR_END: client
