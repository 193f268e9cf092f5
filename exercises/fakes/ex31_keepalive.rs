//! Exercise 31, a fake answer: no keepalive at all. scripts/check-exercises
//! requires these tests to fail on it:
//! fails: the_server_pings_an_idle_peer a_silent_peer_is_disconnected

use std::time::Duration;

use tonic::transport::Server;

/// How often the server pings.
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_millis(200);
/// How long it waits for the acknowledgement.
pub const KEEPALIVE_TIMEOUT: Duration = Duration::from_millis(200);

/// The builder as it comes.
pub fn server_builder() -> Server {
    Server::builder()
}
