//! Exercise 23, solved: give every call a deadline.

use std::time::Duration;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::transport::Channel;
use tonic::{Request, Status};

/// Calls `SayHello` but gives up after `deadline`, returning the greeting or the
/// status the call ended with (`DEADLINE_EXCEEDED` or, in tonic, `CANCELLED`
/// with "Timeout expired").
pub async fn greet_with_deadline(
    channel: Channel,
    name: &str,
    deadline: Duration,
) -> Result<String, Status> {
    // ANCHOR: client
    let mut request = Request::new(SayHelloRequest {
        name: name.to_owned(),
    });
    request.set_timeout(deadline);
    let reply = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    Ok(reply.into_inner().message)
    // ANCHOR_END: client
}
