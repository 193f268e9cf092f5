//! Exercise 23, a fake answer: a deadline, but always one second, whatever the
//! caller asked for. scripts/check-exercises requires these tests to fail on it:
//! fails: the_server_is_told_the_callers_deadline

use std::time::Duration;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::transport::Channel;
use tonic::{Request, Status};

/// Calls `SayHello` but gives up after one second.
pub async fn greet_with_deadline(
    channel: Channel,
    name: &str,
    _deadline: Duration,
) -> Result<String, Status> {
    let mut request = Request::new(SayHelloRequest {
        name: name.to_owned(),
    });
    request.set_timeout(Duration::from_secs(1));
    let reply = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    Ok(reply.into_inner().message)
}
