//! Exercise 11: signed requests are greeted; unsigned, forged or altered ones are not.

use grpc_exercises::ex11_custom_auth::{SIGNATURE_HEADER, sign, verify};
use grpc_exercises::support::greeter::{Hello, hello};
use grpc_exercises::support::{self, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Server;
use tonic::{Code, Request, Response, Status};

const SECRET: &[u8] = b"shared between client and server";

/// Greets only requests whose `x-signature` the exercise's `verify` accepts.
struct SignedGreeter;

#[tonic::async_trait]
impl GreeterService for SignedGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let signature = request.metadata().get(SIGNATURE_HEADER);
        let signature = signature
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        if !verify(SECRET, &request.get_ref().name, signature) {
            return Err(Status::unauthenticated("missing or wrong x-signature"));
        }
        Hello.say_hello(request).await
    }
}

/// Calls a fresh server with `name`, signed by `signature` when given.
async fn call(name: &str, signature: Option<String>) -> Result<String, Status> {
    let signed = GreeterServiceServer::new(SignedGreeter);
    let server = support::serve(Server::builder().add_service(signed)).await;
    let mut client = GreeterServiceClient::new(support::connect(&server).await);
    let mut request = Request::new(hello(name));
    if let Some(signature) = signature {
        let value = signature.parse().expect("hex is valid metadata");
        request.metadata_mut().insert(SIGNATURE_HEADER, value);
    }
    Ok(client.say_hello(request).await?.into_inner().message)
}

#[test]
fn the_signature_is_hex_hmac_sha256() {
    // RFC 4231, test case 2.
    assert_eq!(
        sign(b"Jefe", "what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[tokio::test]
async fn a_signed_request_is_greeted() {
    within(async {
        let reply = call("Jack", Some(sign(SECRET, "Jack"))).await;
        assert_eq!(reply.expect("a correctly signed call"), "Hello, Jack!");
    })
    .await
}

#[tokio::test]
async fn an_altered_name_is_refused() {
    within(async {
        let status = call("Eve", Some(sign(SECRET, "Jack")))
            .await
            .expect_err("altered");
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
    })
    .await
}

#[tokio::test]
async fn a_wrong_key_or_no_signature_is_refused() {
    within(async {
        let forged = call("Jack", Some(sign(b"guessed", "Jack"))).await;
        assert_eq!(forged.expect_err("forged").code(), Code::Unauthenticated);
        let unsigned = call("Jack", None).await;
        assert_eq!(
            unsigned.expect_err("unsigned").code(),
            Code::Unauthenticated
        );
        let garbage = call("Jack", Some("not hex".into())).await;
        assert_eq!(garbage.expect_err("garbage").code(), Code::Unauthenticated);
    })
    .await
}
