//! Exercise 30: limits on message size, on both sides (beyond the tutorial,
//! limits and keepalive).
//!
//! tonic decodes messages up to 4 MiB by default. A greeter has no use for a
//! 4 MiB name: the server refuses anything over [`MAX_REQUEST_BYTES`] before it
//! is decoded. The client has limits of its own: it checks a request's encoded
//! size before sending it (tonic's own send limit would fail the call only after
//! its headers went out, as `INTERNAL`), and it refuses a reply over
//! [`MAX_REPLY_BYTES`]. Its size errors are `RESOURCE_EXHAUSTED`, as the gRPC spec
//! names them (tonic says `OUT_OF_RANGE` "message length too large").

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use prost::Message;
use tonic::transport::Channel;
use tonic::{Code, Status};

use crate::support::greeter::Hello;

/// The largest request either side lets through, in bytes.
pub const MAX_REQUEST_BYTES: usize = 1024;
/// The largest reply the client decodes, in bytes.
pub const MAX_REPLY_BYTES: usize = 2048;

// ANCHOR: server
/// The greeter, refusing requests larger than [`MAX_REQUEST_BYTES`].
pub fn greeter_server() -> GreeterServiceServer<Hello> {
    // TODO: limit what the server will decode.
    todo!("a server with a message-size limit")
}
// ANCHOR_END: server

// ANCHOR: client
/// Calls `SayHello`; a request over [`MAX_REQUEST_BYTES`] is refused before
/// anything is sent, a reply over [`MAX_REPLY_BYTES`] is refused on arrival, and
/// both come back as `RESOURCE_EXHAUSTED`.
pub async fn greet(channel: Channel, name: &str) -> Result<String, Status> {
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    // TODO: check the request's encoded size; make the client with a decoding
    // limit; call, and name tonic's size errors the spec's way.
    todo!("a client with limits of its own")
}
// ANCHOR_END: client
