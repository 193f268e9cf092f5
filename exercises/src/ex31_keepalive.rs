//! Exercise 31: keepalive on both ends, so each notices a peer that has gone
//! silent (beyond the tutorial, limits and keepalive).
//!
//! A peer whose machine vanished (cable pulled, laptop closed) never sends a FIN:
//! without keepalive its connection stays open forever, and a call on it waits
//! forever. With keepalive a side sends an HTTP/2 PING every
//! [`KEEPALIVE_INTERVAL`] and closes the connection when one is not acknowledged
//! within [`KEEPALIVE_TIMEOUT`]. Healthy peers acknowledge pings by themselves.
//! The server pings its clients; the client pings its server, also while no call
//! is in flight, so a dead connection is found before the next call needs it.

use std::time::Duration;

use tonic::transport::{Endpoint, Server};

/// How often each side pings.
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_millis(200);
/// How long it waits for the acknowledgement.
pub const KEEPALIVE_TIMEOUT: Duration = Duration::from_millis(200);

// ANCHOR: server
/// A server builder that pings its peers and drops the ones that do not answer.
pub fn server_builder() -> Server {
    // TODO: ping every KEEPALIVE_INTERVAL; give up on a peer after KEEPALIVE_TIMEOUT.
    todo!("configure the server's keepalive")
}
// ANCHOR_END: server

// ANCHOR: client
/// The endpoint for `url`: pings its server, idle or not, and gives up on one
/// that does not answer.
pub fn endpoint(url: &str) -> Endpoint {
    let endpoint = Endpoint::from_shared(url.to_owned()).expect("a valid URL");
    // TODO: the same three ideas on the client: how often, how long, and also
    // when no call is in flight.
    todo!("configure the client's keepalive")
}
// ANCHOR_END: client
