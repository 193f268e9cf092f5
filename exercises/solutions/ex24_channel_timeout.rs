//! Exercise 24, solved: a default deadline for every call on a channel.

use std::time::Duration;

use tonic::transport::Endpoint;

/// The longest any call through the channel may take.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(300);
/// The longest connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

/// The endpoint for `url`, with both timeouts set.
pub fn endpoint(url: &str) -> Endpoint {
    let endpoint = Endpoint::from_shared(url.to_owned()).expect("a valid URL");
    // ANCHOR: endpoint
    endpoint
        .timeout(CALL_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
    // ANCHOR_END: endpoint
}
