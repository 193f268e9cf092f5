//! Exercise 31, solved: keepalive, so a server notices a peer that has gone silent.

use std::time::Duration;

use tonic::transport::Server;

/// How often the server pings.
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_millis(200);
/// How long it waits for the acknowledgement.
pub const KEEPALIVE_TIMEOUT: Duration = Duration::from_millis(200);

/// A server builder that pings its peers and drops the ones that do not answer.
pub fn server_builder() -> Server {
    // ANCHOR: server
    Server::builder()
        .http2_keepalive_interval(Some(KEEPALIVE_INTERVAL))
        .http2_keepalive_timeout(Some(KEEPALIVE_TIMEOUT))
    // ANCHOR_END: server
}
