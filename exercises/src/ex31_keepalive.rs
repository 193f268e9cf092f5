//! Exercise 31: keepalive, so a server notices a peer that has gone silent
//! (beyond the tutorial, limits and keepalive).
//!
//! A client whose machine vanished (cable pulled, laptop closed) never sends a
//! FIN: without keepalive its connection stays open on the server forever. With
//! keepalive the server sends an HTTP/2 PING every [`KEEPALIVE_INTERVAL`] and
//! closes the connection when one is not acknowledged within
//! [`KEEPALIVE_TIMEOUT`]. Healthy clients acknowledge pings by themselves.

use std::time::Duration;

use tonic::transport::Server;

/// How often the server pings.
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_millis(200);
/// How long it waits for the acknowledgement.
pub const KEEPALIVE_TIMEOUT: Duration = Duration::from_millis(200);

// ANCHOR: server
/// A server builder that pings its peers and drops the ones that do not answer.
pub fn server_builder() -> Server {
    // TODO: ping every KEEPALIVE_INTERVAL; give up on a peer after KEEPALIVE_TIMEOUT.
    todo!("configure keepalive")
}
// ANCHOR_END: server
