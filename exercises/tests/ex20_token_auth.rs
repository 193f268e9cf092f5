//! Exercise 20: only calls carrying the token are served.

use grpc_exercises::ex20_token_auth::{attach_token, check_token};
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use support::TestServer;
use tonic::metadata::MetadataValue;
use tonic::transport::Server;
use tonic::{Code, Request, Status};

async fn start() -> TestServer {
    let guarded = GreeterServiceServer::with_interceptor(Hello, check_token);
    support::serve(Server::builder().add_service(guarded)).await
}

/// Calls with `interceptor` on the client side and returns the outcome.
async fn call_with(
    interceptor: fn(Request<()>) -> Result<Request<()>, Status>,
) -> Result<String, Status> {
    let server = start().await;
    let channel = support::connect(&server).await;
    let mut client = GreeterServiceClient::with_interceptor(channel, interceptor);
    Ok(client.say_hello(hello("Jack")).await?.into_inner().message)
}

#[tokio::test]
async fn a_call_with_the_token_is_served() {
    within(async {
        let reply = call_with(attach_token).await;
        assert_eq!(reply.expect("the token should be accepted"), "Hello, Jack!");
    })
    .await
}

#[tokio::test]
async fn a_call_without_a_token_is_unauthenticated() {
    within(async {
        let status = call_with(Ok).await.expect_err("no token, no greeting");
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
    })
    .await
}

#[tokio::test]
async fn a_call_with_a_wrong_token_is_unauthenticated() {
    within(async {
        let status = call_with(|mut request| {
            let forged = MetadataValue::from_static("Bearer guessed");
            request.metadata_mut().insert("authorization", forged);
            Ok(request)
        })
        .await
        .expect_err("a wrong token, no greeting");
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
    })
    .await
}

#[tokio::test]
async fn the_scheme_is_matched_in_any_case() {
    within(async {
        let reply = call_with(|mut request| {
            let lower = MetadataValue::from_static("bearer workshop-token");
            request.metadata_mut().insert("authorization", lower);
            Ok(request)
        })
        .await;
        assert_eq!(reply.expect("`bearer` is `Bearer`"), "Hello, Jack!");
    })
    .await
}

#[tokio::test]
async fn two_authorization_headers_are_refused_in_either_order() {
    within(async {
        let good_then_wrong = call_with(|mut request| {
            let metadata = request.metadata_mut();
            metadata.append(
                "authorization",
                MetadataValue::from_static("Bearer workshop-token"),
            );
            metadata.append(
                "authorization",
                MetadataValue::from_static("Bearer guessed"),
            );
            Ok(request)
        });
        let status = good_then_wrong.await.expect_err("which token would count?");
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
        let wrong_then_good = call_with(|mut request| {
            let metadata = request.metadata_mut();
            metadata.append(
                "authorization",
                MetadataValue::from_static("Bearer guessed"),
            );
            metadata.append(
                "authorization",
                MetadataValue::from_static("Bearer workshop-token"),
            );
            Ok(request)
        });
        let status = wrong_then_good.await.expect_err("which token would count?");
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
        let longer = call_with(|mut request| {
            let value = MetadataValue::from_static("Bearer workshop-token-and-more");
            request.metadata_mut().insert("authorization", value);
            Ok(request)
        });
        let status = longer.await.expect_err("a longer token is another token");
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
    })
    .await
}

#[test]
fn the_client_marks_the_token_sensitive() {
    let request = attach_token(Request::new(())).expect("attach");
    let value = request
        .metadata()
        .get("authorization")
        .expect("an authorization entry");
    assert!(
        value.is_sensitive(),
        "set_sensitive(true): HPACK must not index the token, and Debug must hide it"
    );
}
