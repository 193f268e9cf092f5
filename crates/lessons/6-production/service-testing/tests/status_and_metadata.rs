//! What the caller receives is part of the contract: the code, the message, and
//! the metadata, on success (response headers) and on failure (the status's own
//! metadata, sent in the trailers). Asserted as the client sees them, after the
//! wire, not as the handler built them.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use service_testing::in_process::in_process_channel;
use service_testing::{Greeter, MAX_NAME_CHARS};
use tonic::service::Routes;
use tonic::transport::Channel;
use tonic::{Code, Request};

async fn client() -> GreeterServiceClient<Channel> {
    let routes = Routes::new(GreeterServiceServer::new(Greeter));
    GreeterServiceClient::new(in_process_channel(routes).await.unwrap())
}

fn hello(name: &str) -> Request<SayHelloRequest> {
    Request::new(SayHelloRequest { name: name.into() })
}

#[tokio::test]
async fn success_carries_the_request_id_back_in_the_response_headers() {
    let mut request = hello("Jack");
    request
        .metadata_mut()
        .insert("x-request-id", "abc-123".parse().unwrap());
    let response = client().await.say_hello(request).await.unwrap();
    assert_eq!(response.metadata().get("x-request-id").unwrap(), "abc-123");
    assert_eq!(response.into_inner().message, "Hello, Jack!");
}

#[tokio::test]
async fn an_empty_name_is_invalid_argument_naming_the_field() {
    let status = client().await.say_hello(hello("")).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(status.message(), "name must not be empty");
    assert_eq!(status.metadata().get("x-error-field").unwrap(), "name");
}

#[tokio::test]
async fn an_overlong_name_is_invalid_argument_with_the_limit_in_the_message() {
    let name = "x".repeat(MAX_NAME_CHARS + 1);
    let status = client().await.say_hello(hello(&name)).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(status.message(), "name is longer than 100 characters");
    assert_eq!(status.metadata().get("x-error-field").unwrap(), "name");
}

#[tokio::test]
async fn a_name_exactly_at_the_limit_is_greeted() {
    let name = "x".repeat(MAX_NAME_CHARS);
    let reply = client().await.say_hello(hello(&name)).await.unwrap();
    assert_eq!(reply.into_inner().message, format!("Hello, {name}!"));
}
