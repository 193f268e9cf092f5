//! Exercise 8: make back-pressure visible (chapter 2, flow control).
//!
//! HTTP/2 lets a receiver take in only as many bytes as its *window* allows; the
//! sender stops until the receiver's application reads and the window reopens.
//! hyper's server window is a fixed 1 MiB by default (its adaptive window, the BDP
//! probe the tutorial turns off in grpc core with `grpc.http2.bdp_probe = 0`, is
//! already off in hyper and tonic), so a client can push a lot before it ever waits. Configure the server the way the tutorial
//! does, with small fixed windows, so a client streaming to a busy server is held
//! back after about [`WINDOW`] bytes.

use tonic::transport::Server;

/// The receive window to use, in bytes: HTTP/2's default of 64 KiB - 1.
pub const WINDOW: u32 = 65_535;

// ANCHOR: server
/// A server builder whose HTTP/2 flow-control windows hold a fast client back.
pub fn server_builder() -> Server {
    // TODO: start from `Server::builder()` and set both the stream and the connection
    // window to `WINDOW`, and keep the adaptive window off (the default) so it cannot grow.
    todo!("configure the flow-control windows")
}
// ANCHOR_END: server
