//! The handler is a method: call it. No server, no network, no runtime beyond
//! `#[tokio::test]`; the fastest test there is, and it reaches every branch.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_server::GreeterService;
use service_testing::Greeter;
use tonic::{Code, Request};

#[tokio::test]
async fn greets_the_trimmed_name() {
    let request = Request::new(SayHelloRequest {
        name: "  Jack ".into(),
    });
    let response = Greeter.say_hello(request).await.unwrap();
    assert_eq!(response.into_inner().message, "Hello, Jack!");
}

#[tokio::test]
async fn refuses_an_empty_name() {
    let request = Request::new(SayHelloRequest { name: "   ".into() });
    let status = Greeter.say_hello(request).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(status.message(), "name must not be empty");
}

#[tokio::test]
async fn echoes_the_request_id_it_was_given() {
    let mut request = Request::new(SayHelloRequest {
        name: "Jack".into(),
    });
    request
        .metadata_mut()
        .insert("x-request-id", "id-7".parse().unwrap());
    let response = Greeter.say_hello(request).await.unwrap();
    assert_eq!(response.metadata().get("x-request-id").unwrap(), "id-7");
}
