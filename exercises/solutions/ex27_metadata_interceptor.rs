//! Exercise 27, solved: a request id, through an interceptor and back in the
//! response metadata.

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::metadata::MetadataValue;
use tonic::{Request, Response, Status};

/// The metadata key, both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// The id of the call being served, put there by [`request_id`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The server's interceptor: the client's `x-request-id` as a [`RequestId`]
/// extension; a call without one (or with one that is not text) is refused with
/// INVALID_ARGUMENT.
pub fn request_id(mut request: Request<()>) -> Result<Request<()>, Status> {
    // ANCHOR: interceptor
    let id = request
        .metadata()
        .get(REQUEST_ID)
        .ok_or_else(|| Status::invalid_argument("every call needs an x-request-id"))?
        .to_str()
        .map_err(|_| Status::invalid_argument("x-request-id must be printable ASCII"))?
        .to_owned();
    request.extensions_mut().insert(RequestId(id));
    Ok(request)
    // ANCHOR_END: interceptor
}

/// Greets, and echoes the call's request id in the response metadata.
#[derive(Debug, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // ANCHOR: handler
        let id = request
            .extensions()
            .get::<RequestId>()
            .cloned()
            .ok_or_else(|| Status::internal("the request-id interceptor is missing"))?;
        let message = format!("Hello, {}!", request.into_inner().name);
        let mut response = Response::new(SayHelloResponse { message });
        let value = MetadataValue::try_from(id.0.as_str())
            .map_err(|_| Status::internal("the id is no longer valid metadata"))?;
        response.metadata_mut().insert(REQUEST_ID, value);
        Ok(response)
        // ANCHOR_END: handler
    }
}
