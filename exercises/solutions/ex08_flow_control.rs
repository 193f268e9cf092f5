//! Exercise 8, solved: make back-pressure visible.

use tonic::transport::Server;

/// The receive window to use, in bytes: HTTP/2's default of 64 KiB - 1.
pub const WINDOW: u32 = 65_535;

/// A server builder whose HTTP/2 flow-control windows hold a fast client back.
pub fn server_builder() -> Server {
    // ANCHOR: server
    Server::builder()
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW)
        // The tutorial's `("grpc.http2.bdp_probe", 0)`: the window stays as set.
        .http2_adaptive_window(Some(false))
    // ANCHOR_END: server
}
