//! Exercise 29, solved: compress messages both ways.

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::codec::CompressionEncoding;
use tonic::transport::Channel;

use crate::support::greeter::Hello;

/// The greeter, accepting gzip-compressed requests and compressing its
/// responses with gzip when the client accepts it.
pub fn greeter_server() -> GreeterServiceServer<Hello> {
    // ANCHOR: server
    GreeterServiceServer::new(Hello)
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip)
    // ANCHOR_END: server
}

/// A client on `channel` that compresses its requests with gzip and accepts
/// gzip-compressed responses.
pub fn greeter_client(channel: Channel) -> GreeterServiceClient<Channel> {
    // ANCHOR: client
    GreeterServiceClient::new(channel)
        .send_compressed(CompressionEncoding::Gzip)
        .accept_compressed(CompressionEncoding::Gzip)
    // ANCHOR_END: client
}
