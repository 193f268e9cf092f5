//! Exercise 25: bad names come back as INVALID_ARGUMENT with a field violation.

use grpc_exercises::ex25_errors::{MAX_NAME_CHARS, validate};
use grpc_exercises::support::greeter::{Hello, hello};
use grpc_exercises::support::{self, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::{Channel, Server};
use tonic::{Code, Request, Response, Status};
use tonic_types::StatusExt;

/// Validates first, then greets: how a server uses the exercise's `validate`.
struct Validating;

#[tonic::async_trait]
impl GreeterService for Validating {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        validate(request.get_ref())?;
        Hello.say_hello(request).await
    }
}

/// Calls a fresh server's `SayHello` with `name`.
async fn call(name: &str) -> Result<String, Status> {
    let server =
        support::serve(Server::builder().add_service(GreeterServiceServer::new(Validating))).await;
    let channel: Channel = support::connect(&server).await;
    let reply = GreeterServiceClient::new(channel)
        .say_hello(hello(name))
        .await?;
    Ok(reply.into_inner().message)
}

/// Asserts `status` blames the field `name`.
fn assert_blames_name(status: &Status) {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let bad_request = status
        .get_details_bad_request()
        .expect("the status should carry a BadRequest detail");
    let fields: Vec<&str> = bad_request
        .field_violations
        .iter()
        .map(|v| v.field.as_str())
        .collect();
    assert_eq!(
        fields,
        ["name"],
        "the violation should name the field `name`"
    );
}

#[tokio::test]
async fn an_empty_name_is_invalid() {
    within(async {
        let status = call("").await.expect_err("an empty name must be refused");
        assert_blames_name(&status);
    })
    .await
}

#[tokio::test]
async fn a_long_name_is_invalid() {
    within(async {
        let long = "é".repeat(MAX_NAME_CHARS + 1);
        let status = call(&long).await.expect_err("a long name must be refused");
        assert_blames_name(&status);
    })
    .await
}

#[tokio::test]
async fn good_names_are_greeted() {
    within(async {
        // 32 two-byte characters: too long in bytes, fine in characters.
        let longest = "é".repeat(MAX_NAME_CHARS);
        assert_eq!(call("Jack").await.expect("Jack is fine"), "Hello, Jack!");
        assert_eq!(
            call(&longest).await.expect("at the limit"),
            format!("Hello, {longest}!")
        );
    })
    .await
}
