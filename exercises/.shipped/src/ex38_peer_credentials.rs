//! Exercise 38: who is calling, from the Unix socket (chapter 5, local sockets).
//!
//! Over a Unix domain socket the kernel records the caller's uid, gid and pid
//! when it connects, and tonic puts them in every request's extensions as
//! `tonic::transport::server::UdsConnectInfo`. Nothing in the request can forge
//! them, so a server can decide by uid.

use tonic::{Request, Status};

/// The caller's uid when it may call: it is in `allowed`.
///
/// - no credentials (the call did not come over a Unix socket): `UNAUTHENTICATED`;
/// - a uid not in `allowed`: `PERMISSION_DENIED`, naming the uid.
pub fn allowed_caller<T>(request: &Request<T>, allowed: &[u32]) -> Result<u32, Status> {
    // TODO: read UdsConnectInfo from the request's extensions, take its
    // peer_cred, and check the uid against `allowed`.
    todo!("UdsConnectInfo from request.extensions()")
}
