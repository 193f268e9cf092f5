//! Exercise 30, a fake answer: the server's limit only; the client sends what
//! it is given and takes any reply. scripts/check-exercises requires these
//! tests to fail on it:
//! fails: an_oversized_request_is_not_sent an_oversized_reply_is_refused

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::Status;
use tonic::transport::Channel;

use crate::support::greeter::Hello;

/// The largest request either side lets through, in bytes.
pub const MAX_REQUEST_BYTES: usize = 1024;
/// The largest reply the client decodes, in bytes.
pub const MAX_REPLY_BYTES: usize = 2048;

/// The greeter, refusing requests larger than [`MAX_REQUEST_BYTES`].
pub fn greeter_server() -> GreeterServiceServer<Hello> {
    GreeterServiceServer::new(Hello).max_decoding_message_size(MAX_REQUEST_BYTES)
}

/// No limits of its own.
pub async fn greet(channel: Channel, name: &str) -> Result<String, Status> {
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    let reply = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    Ok(reply.into_inner().message)
}
