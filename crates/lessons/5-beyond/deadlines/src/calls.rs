// ANCHOR: client_deadline
//! The client's calls: a unary call under a deadline, and a stream cancelled early.

use std::time::Duration;

use helloworld_proto::{v1, v2};
use tonic::transport::Channel;

use crate::deadline;

/// One unary call, with an optional deadline; the raw status as tonic reports it.
pub async fn unary(
    channel: Channel,
    name: &str,
    deadline: Option<Duration>,
) -> Result<String, tonic::Status> {
    let mut request = tonic::Request::new(v1::SayHelloRequest { name: name.into() });
    if let Some(deadline) = deadline {
        request.set_timeout(deadline);
    }
    let mut client = v1::greeter_service_client::GreeterServiceClient::new(channel);
    Ok(client.say_hello(request).await?.into_inner().message)
}

/// A unary call with a deadline, failing with `DEADLINE_EXCEEDED` when it passes.
pub async fn unary_with_deadline(
    channel: Channel,
    name: &str,
    deadline: Duration,
) -> Result<String, tonic::Status> {
    unary(channel, name, Some(deadline))
        .await
        .map_err(deadline::spec_status)
}
// ANCHOR_END: client_deadline

// ANCHOR: first_then_cancel
/// Opens the v2 stream, reads one greeting, and cancels by dropping the stream.
pub async fn first_then_cancel(channel: Channel, name: &str) -> anyhow::Result<String> {
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel);
    let request = v2::SayHelloRequest { name: name.into() };
    let mut stream = client.say_hello(request).await?.into_inner();
    let first = stream
        .message()
        .await?
        .ok_or_else(|| anyhow::anyhow!("the stream ended before its first message"))?;
    drop(stream); // sends RST_STREAM(CANCEL): the server's generator is dropped
    Ok(first.message)
}
// ANCHOR_END: first_then_cancel
