//! Wait-for-ready: a call that waits, within its deadline, for a server to come up.
//!
//! A tonic channel made with `Endpoint::connect_lazy` connects on the first call,
//! and a call it cannot connect for fails at once with `UNAVAILABLE` ("fail fast",
//! gRPC's default). gRPC's wait-for-ready option makes such a call wait for a
//! connection instead. tonic has no such flag; this loop is one. It tries again
//! only when the call never left (the status comes from a `tonic::ConnectError`),
//! so it is safe for every method, idempotent or not.

use std::error::Error;
use std::time::Duration;

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::time::Instant;
use tonic::transport::{Channel, Endpoint};
use tonic::{ConnectError, Request, Status};

/// A channel to `url` that connects on its first call, not now.
pub fn lazy_channel(url: &str) -> Result<Channel, tonic::transport::Error> {
    Ok(Endpoint::from_shared(url.to_owned())?.connect_lazy())
}

/// Whether the call failed because no connection could be made: it never left.
pub fn never_connected(status: &Status) -> bool {
    let mut cause = status.source();
    while let Some(error) = cause {
        if error.is::<ConnectError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// `SayHello(name)`, waiting up to `timeout` for the server to be reachable.
///
/// `waiting` hears each failed connection attempt (to log or count them).
pub async fn say_hello_wait_for_ready(
    channel: Channel,
    name: &str,
    timeout: Duration,
    mut waiting: impl FnMut(&Status),
) -> Result<SayHelloResponse, Status> {
    let deadline = Instant::now() + timeout;
    let mut client = GreeterServiceClient::new(channel);
    let mut pause = Duration::from_millis(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut request = Request::new(SayHelloRequest {
            name: name.to_owned(),
        });
        request.set_timeout(left);
        match client.say_hello(request).await {
            Err(status) if never_connected(&status) => {
                waiting(&status);
                let left = deadline.saturating_duration_since(Instant::now());
                if left <= pause {
                    return Err(Status::deadline_exceeded(format!(
                        "no server became ready within {timeout:?}: {}",
                        status.message()
                    )));
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(500));
            }
            other => return other.map(|response| response.into_inner()),
        }
    }
}
