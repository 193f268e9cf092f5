//! Exercise 30: a name over the limit is refused as too large (tonic: OUT_OF_RANGE;
//! the spec: RESOURCE_EXHAUSTED); one under it is greeted.

use grpc_exercises::ex30_message_limits::{MAX_REQUEST_BYTES, greeter_server};
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::Code;
use tonic::transport::Server;

#[tokio::test]
async fn an_oversized_request_is_refused_and_a_small_one_greeted() {
    within(async {
        let server = support::serve(Server::builder().add_service(greeter_server())).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);

        let small = "a".repeat(MAX_REQUEST_BYTES / 2);
        let reply = client.say_hello(hello(&small)).await.expect("a small name");
        assert_eq!(reply.into_inner().message, format!("Hello, {small}!"));

        let large = "a".repeat(MAX_REQUEST_BYTES * 2);
        let status = client
            .say_hello(hello(&large))
            .await
            .expect_err("a name twice the limit must be refused");
        // tonic answers OUT_OF_RANGE "message length too large"; the gRPC spec says
        // RESOURCE_EXHAUSTED (the page shows how the lesson maps one to the other).
        assert!(
            matches!(status.code(), Code::OutOfRange | Code::ResourceExhausted)
                && status.message().contains("too large"),
            "{status:?}"
        );

        let reply = client.say_hello(hello("Jack")).await;
        assert!(reply.is_ok(), "the connection is still good: {reply:?}");
    })
    .await
}
