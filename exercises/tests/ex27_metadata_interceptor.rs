//! Exercise 27: the id the client sends comes back in the response metadata; a
//! call without an id is refused before it reaches the handler.

use grpc_exercises::ex27_metadata_interceptor::{Greeter, REQUEST_ID, RequestId, request_id};
use grpc_exercises::support::reference::random_word;
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::{Channel, Server};
use tonic::{Code, Request};

async fn client() -> (support::TestServer, GreeterServiceClient<Channel>) {
    let service = GreeterServiceServer::with_interceptor(Greeter, request_id);
    let server = support::serve(Server::builder().add_service(service)).await;
    let client = GreeterServiceClient::new(support::connect(&server).await);
    (server, client)
}

#[test]
fn the_interceptor_stores_the_id_as_an_extension() {
    let id = format!("abc-{}", random_word());
    let mut request = Request::new(());
    request
        .metadata_mut()
        .insert(REQUEST_ID, id.parse().unwrap());
    let request = request_id(request).expect("a call with an id passes");
    assert_eq!(
        request.extensions().get::<RequestId>(),
        Some(&RequestId(id))
    );
}

#[tokio::test]
async fn the_id_comes_back_in_the_response_metadata() {
    within(async {
        let (_server, mut client) = client().await;
        let id = format!("call-{}", random_word());
        let mut request = Request::new(hello("Jack"));
        request
            .metadata_mut()
            .insert(REQUEST_ID, id.parse().unwrap());
        let response = client.say_hello(request).await.expect("SayHello");
        let echoed = response
            .metadata()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok());
        assert_eq!(echoed, Some(id.as_str()), "the response's x-request-id");
        assert_eq!(response.into_inner().message, "Hello, Jack!");
    })
    .await
}

#[tokio::test]
async fn a_call_without_an_id_is_refused() {
    within(async {
        let (_server, mut client) = client().await;
        let status = client.say_hello(hello("Eve")).await.expect_err("no id");
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    })
    .await
}
