//! Exercise 23 (fix the bug): a call without a deadline (beyond the tutorial, deadlines).
//!
//! `greet_with_deadline` takes a deadline and then forgets to use it.
//!
//! A call without a deadline waits as long as the server takes, possibly forever.
//! gRPC sends the deadline to the server in the `grpc-timeout` header, so both
//! sides can give up at the same moment and the server can stop useless work.

use std::time::Duration;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::transport::Channel;
use tonic::{Request, Status};

// ANCHOR: client
/// Calls `SayHello` but gives up after `deadline`, returning the greeting or the
/// status the call ended with (`DEADLINE_EXCEEDED` or, in tonic, `CANCELLED`
/// with "Timeout expired").
pub async fn greet_with_deadline(
    channel: Channel,
    name: &str,
    deadline: Duration,
) -> Result<String, Status> {
    // FIX: the test's server never answers, and this call waits for it forever.
    let request = Request::new(SayHelloRequest {
        name: name.to_owned(),
    });
    let reply = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    Ok(reply.into_inner().message)
}
// ANCHOR_END: client
