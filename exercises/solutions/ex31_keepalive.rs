//! Exercise 31, solved: keepalive on both ends, so each notices a peer that has
//! gone silent.

use std::time::Duration;

use tonic::transport::{Endpoint, Server};

/// How often each side pings.
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

/// The endpoint for `url`: pings its server, idle or not, and gives up on one
/// that does not answer.
pub fn endpoint(url: &str) -> Endpoint {
    // ANCHOR: client
    Endpoint::from_shared(url.to_owned())
        .expect("a valid URL")
        .http2_keep_alive_interval(KEEPALIVE_INTERVAL)
        .keep_alive_timeout(KEEPALIVE_TIMEOUT)
        .keep_alive_while_idle(true)
    // ANCHOR_END: client
}
