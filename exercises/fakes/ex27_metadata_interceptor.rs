//! Exercise 27, a fake answer: the interceptor lets everything through, and the
//! handler answers with a constant id. scripts/check-exercises requires these
//! tests to fail on it:
//! fails: the_interceptor_stores_the_id_as_an_extension the_id_comes_back_in_the_response_metadata a_call_without_an_id_is_refused

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::metadata::MetadataValue;
use tonic::{Request, Response, Status};

/// The metadata key, both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// The id of the call being served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Lets every call through untouched.
pub fn request_id(request: Request<()>) -> Result<Request<()>, Status> {
    Ok(request)
}

/// Greets, with a constant id.
#[derive(Debug, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        let mut response = Response::new(SayHelloResponse { message });
        response
            .metadata_mut()
            .insert(REQUEST_ID, MetadataValue::from_static("call-42"));
        Ok(response)
    }
}
