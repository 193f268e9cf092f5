//! Exercise 24, a fake answer: the call timeout only; connecting may take as
//! long as the operating system likes. scripts/check-exercises requires these
//! tests to fail on it:
//! fails: connecting_to_a_server_that_never_accepts_gives_up

use std::time::Duration;

use tonic::transport::Endpoint;

/// The longest any call through the channel may take.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(300);
/// The longest connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

/// Half of the answer.
pub fn endpoint(url: &str) -> Endpoint {
    Endpoint::from_shared(url.to_owned())
        .expect("a valid URL")
        .timeout(CALL_TIMEOUT)
}
