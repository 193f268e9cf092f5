//! The client's call: metadata out, then headers, messages and trailers back.

use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use tonic::Request;
use tonic::metadata::MetadataMap;
use tonic::transport::Channel;

use crate::interceptor::REQUEST_ID;

/// What a call returned besides its messages.
#[derive(Debug, Clone)]
pub struct Returned {
    /// Response headers (before the first message).
    pub headers: MetadataMap,
    /// The greetings.
    pub messages: Vec<String>,
    /// Trailers (after the last message).
    pub trailers: MetadataMap,
}

/// Calls with `x-request-id` (if given) and `x-echo-client`; returns headers, messages, trailers.
pub async fn call(
    channel: Channel,
    request_id: Option<&str>,
    echo: &str,
) -> anyhow::Result<Returned> {
    let mut request = Request::new(SayHelloRequest {
        name: "Jack".into(),
    });
    if let Some(id) = request_id {
        request.metadata_mut().insert(REQUEST_ID, id.parse()?);
    }
    request
        .metadata_mut()
        .insert("x-echo-client", echo.parse()?);
    let response = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    let headers = response.metadata().clone();
    let mut stream = response.into_inner();
    let mut messages = Vec::new();
    while let Some(reply) = stream.message().await? {
        messages.push(reply.message);
    }
    let trailers = stream.trailers().await?.unwrap_or_default();
    Ok(Returned {
        headers,
        messages,
        trailers,
    })
}
