//! Exercise 30: a limit on message size (beyond the tutorial, limits and
//! keepalive).
//!
//! tonic decodes messages up to 4 MiB by default. A greeter has no use for a
//! 4 MiB name: refuse anything over [`MAX_REQUEST_BYTES`] before it is decoded,
//! so the client gets an error ("message length too large") instead of the
//! server spending memory on it.

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;

use crate::support::greeter::Hello;

/// The largest request the greeter decodes, in bytes.
pub const MAX_REQUEST_BYTES: usize = 1024;

// ANCHOR: server
/// The greeter, refusing requests larger than [`MAX_REQUEST_BYTES`].
pub fn greeter_server() -> GreeterServiceServer<Hello> {
    // TODO: limit what the server will decode.
    todo!("a server with a message-size limit")
}
// ANCHOR_END: server
