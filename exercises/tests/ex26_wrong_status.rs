//! Exercise 26: members are greeted; an empty name is INVALID_ARGUMENT, a
//! stranger NOT_FOUND with a `ResourceInfo` naming them, and a closed club
//! UNAVAILABLE with a `RetryInfo` saying when it reopens: codes and details a
//! client can act on.

use std::time::Duration;

use grpc_exercises::ex26_wrong_status::ClubGreeter;
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::Code;
use tonic::transport::{Channel, Server};
use tonic_types::StatusExt;

async fn client() -> (support::TestServer, GreeterServiceClient<Channel>) {
    club(ClubGreeter::default()).await
}

async fn club(greeter: ClubGreeter) -> (support::TestServer, GreeterServiceClient<Channel>) {
    let router = Server::builder().add_service(GreeterServiceServer::new(greeter));
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
async fn a_stranger_is_not_found_and_told_what_was_not_found() {
    within(async {
        let (_server, mut client) = client().await;
        let status = client.say_hello(hello("Eve")).await.expect_err("refused");
        assert_eq!(
            status.code(),
            Code::NotFound,
            "Eve is not there, and retrying will not change that: {status:?}"
        );
        assert!(status.message().contains("Eve"), "say who: {status:?}");
        let resource = status
            .get_details_resource_info()
            .unwrap_or_else(|| panic!("no ResourceInfo in the details: {status:?}"));
        assert_eq!(
            (
                resource.resource_type.as_str(),
                resource.resource_name.as_str()
            ),
            ("club member", "Eve"),
            "the ResourceInfo should name the type and the name not found"
        );
    })
    .await
}

#[tokio::test]
async fn a_closed_club_says_when_to_come_back() {
    within(async {
        let reopens_in = Duration::from_millis(1500);
        let (_server, mut client) = club(ClubGreeter {
            closed_for: Some(reopens_in),
        })
        .await;
        let status = client.say_hello(hello("Rose")).await.expect_err("closed");
        assert_eq!(
            status.code(),
            Code::Unavailable,
            "closed for now, open later: the code that says retrying will help: {status:?}"
        );
        let retry = status
            .get_details_retry_info()
            .unwrap_or_else(|| panic!("no RetryInfo in the details: {status:?}"));
        assert_eq!(
            retry.retry_delay,
            Some(reopens_in),
            "the RetryInfo should say when the club reopens"
        );
    })
    .await
}
