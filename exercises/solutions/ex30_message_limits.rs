//! Exercise 30, solved: limits on message size, on both sides.

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

/// The greeter, refusing requests larger than [`MAX_REQUEST_BYTES`].
pub fn greeter_server() -> GreeterServiceServer<Hello> {
    // ANCHOR: server
    GreeterServiceServer::new(Hello).max_decoding_message_size(MAX_REQUEST_BYTES)
    // ANCHOR_END: server
}

/// Calls `SayHello`; a request over [`MAX_REQUEST_BYTES`] is refused before
/// anything is sent, a reply over [`MAX_REPLY_BYTES`] is refused on arrival, and
/// both come back as `RESOURCE_EXHAUSTED`.
pub async fn greet(channel: Channel, name: &str) -> Result<String, Status> {
    // ANCHOR: client
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    let size = request.encoded_len();
    if size > MAX_REQUEST_BYTES {
        return Err(Status::resource_exhausted(format!(
            "request is {size} bytes, at most {MAX_REQUEST_BYTES} are sent"
        )));
    }
    let mut client = GreeterServiceClient::new(channel).max_decoding_message_size(MAX_REPLY_BYTES);
    match client.say_hello(request).await {
        Ok(reply) => Ok(reply.into_inner().message),
        Err(status)
            if status.code() == Code::OutOfRange
                && status.message().contains("message length too large") =>
        {
            Err(Status::resource_exhausted(status.message()))
        }
        Err(status) => Err(status),
    }
    // ANCHOR_END: client
}
