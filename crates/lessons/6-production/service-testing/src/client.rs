//! The client under test: what a caller of the greeter does around the call.

use std::time::Duration;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::transport::Channel;
use tonic::{Request, Status};

/// Greets `name` within `deadline`, tagging the call with `x-request-id: <request_id>`;
/// a reply that is not a greeting is an `INTERNAL` error, not a result.
pub async fn greet(
    channel: Channel,
    name: &str,
    request_id: &str,
    deadline: Duration,
) -> Result<String, Status> {
    let mut request = Request::new(SayHelloRequest { name: name.into() });
    request.set_timeout(deadline);
    let id = request_id
        .parse()
        .map_err(|_| Status::invalid_argument("the request id is not a header value"))?;
    request.metadata_mut().insert("x-request-id", id);
    let message = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?
        .into_inner()
        .message;
    if !message.starts_with("Hello, ") {
        return Err(Status::internal(format!("not a greeting: {message:?}")));
    }
    Ok(message)
}
