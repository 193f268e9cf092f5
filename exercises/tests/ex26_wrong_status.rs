//! Exercise 26: members are greeted; an empty name is INVALID_ARGUMENT and a
//! stranger NOT_FOUND, codes a client can act on.

use grpc_exercises::ex26_wrong_status::ClubGreeter;
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::Code;
use tonic::transport::{Channel, Server};

async fn client() -> (support::TestServer, GreeterServiceClient<Channel>) {
    let router = Server::builder().add_service(GreeterServiceServer::new(ClubGreeter));
    let server = support::serve(router).await;
    let client = GreeterServiceClient::new(support::connect(&server).await);
    (server, client)
}

#[tokio::test]
async fn a_member_is_greeted() {
    within(async {
        let (_server, mut client) = client().await;
        let reply = client.say_hello(hello("Rose")).await.expect("SayHello");
        assert_eq!(reply.into_inner().message, "Hello, Rose!");
    })
    .await
}

#[tokio::test]
async fn an_empty_name_is_the_callers_mistake() {
    within(async {
        let (_server, mut client) = client().await;
        let status = client.say_hello(hello("")).await.expect_err("refused");
        assert_eq!(
            status.code(),
            Code::InvalidArgument,
            "the request itself is wrong, and the client must change it: {status:?}"
        );
    })
    .await
}

#[tokio::test]
async fn a_stranger_is_not_found() {
    within(async {
        let (_server, mut client) = client().await;
        let status = client.say_hello(hello("Eve")).await.expect_err("refused");
        assert_eq!(
            status.code(),
            Code::NotFound,
            "Eve is not there, and retrying will not change that: {status:?}"
        );
        assert!(status.message().contains("Eve"), "say who: {status:?}");
    })
    .await
}
