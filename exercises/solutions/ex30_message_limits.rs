//! Exercise 30, solved: a limit on message size.

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;

use crate::support::greeter::Hello;

/// The largest request the greeter decodes, in bytes.
pub const MAX_REQUEST_BYTES: usize = 1024;

/// The greeter, refusing requests larger than [`MAX_REQUEST_BYTES`].
pub fn greeter_server() -> GreeterServiceServer<Hello> {
    // ANCHOR: server
    GreeterServiceServer::new(Hello).max_decoding_message_size(MAX_REQUEST_BYTES)
    // ANCHOR_END: server
}
