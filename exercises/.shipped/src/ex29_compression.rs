//! Exercise 29: compress messages both ways (beyond the tutorial, compression).
//!
//! gRPC compresses per message and negotiates per call: a side sends compressed
//! only what the other side said it accepts (`grpc-accept-encoding`), and says
//! what it used (`grpc-encoding`). In tonic each generated server and client is
//! told which encodings it may send and which it accepts.

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::codec::CompressionEncoding;
use tonic::transport::Channel;

use crate::support::greeter::Hello;

// ANCHOR: server
/// The greeter, accepting gzip-compressed requests and compressing its
/// responses with gzip when the client accepts it.
pub fn greeter_server() -> GreeterServiceServer<Hello> {
    // TODO: both directions, gzip.
    todo!("a server that speaks gzip")
}
// ANCHOR_END: server

// ANCHOR: client
/// A client on `channel` that compresses its requests with gzip and accepts
/// gzip-compressed responses.
pub fn greeter_client(channel: Channel) -> GreeterServiceClient<Channel> {
    // TODO: both directions, gzip.
    todo!("a client that speaks gzip")
}
// ANCHOR_END: client
