//! Exercise 24: a default deadline for every call on a channel (beyond the
//! tutorial, deadlines).
//!
//! Setting a deadline on each request is easy to forget (exercise 23). A channel
//! can carry a default instead: every call made through it ends with an error
//! once [`CALL_TIMEOUT`] has passed, and connecting gives up after
//! [`CONNECT_TIMEOUT`] instead of the operating system's minutes.

use std::time::Duration;

use tonic::transport::Endpoint;

/// The longest any call through the channel may take.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(300);
/// The longest connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

// ANCHOR: endpoint
/// The endpoint for `url`, with both timeouts set.
pub fn endpoint(url: &str) -> Endpoint {
    let endpoint = Endpoint::from_shared(url.to_owned()).expect("a valid URL");
    // TODO: give every call, and the connection attempt, its limit.
    todo!("configure the endpoint's timeouts")
}
// ANCHOR_END: endpoint
