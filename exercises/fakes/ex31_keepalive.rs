//! Exercise 31, a fake answer: no keepalive at all, on either side.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: the_server_pings_an_idle_peer a_silent_peer_is_disconnected a_client_notices_a_server_that_vanished

use std::time::Duration;

use tonic::transport::{Endpoint, Server};

/// How often each side pings.
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_millis(200);
/// How long it waits for the acknowledgement.
pub const KEEPALIVE_TIMEOUT: Duration = Duration::from_millis(200);

/// The builder as it comes.
pub fn server_builder() -> Server {
    Server::builder()
}

/// The endpoint as it comes.
pub fn endpoint(url: &str) -> Endpoint {
    Endpoint::from_shared(url.to_owned()).expect("a valid URL")
}
