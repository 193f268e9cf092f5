//! Exercise 27: a request id, through an interceptor and back in the response
//! metadata (beyond the tutorial, metadata and interceptors).
//!
//! Every call carries `x-request-id`. An interceptor, which sees each call before
//! its handler, reads it into a typed [`RequestId`] extension and refuses calls
//! without one; the handler takes the extension and sends the id back in its
//! response metadata, so a client can match logs on both sides.

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::metadata::MetadataValue;
use tonic::{Request, Response, Status};

/// The metadata key, both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// The id of the call being served, put there by [`request_id`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

// ANCHOR: interceptor
/// The server's interceptor: the client's `x-request-id` as a [`RequestId`]
/// extension; a call without one (or with one that is not text) is refused with
/// INVALID_ARGUMENT.
pub fn request_id(mut request: Request<()>) -> Result<Request<()>, Status> {
    // TODO: read the metadata entry, refuse the call without it, and store it in
    // the request's extensions.
    todo!("the request id, as an extension")
}
// ANCHOR_END: interceptor

/// Greets, and echoes the call's request id in the response metadata.
#[derive(Debug, Default)]
pub struct Greeter;

// ANCHOR: handler
#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // TODO: answer `Hello, <name>!` with the call's request id in the
        // response's `x-request-id` metadata.
        todo!("greet, and echo the request id")
    }
}
// ANCHOR_END: handler
