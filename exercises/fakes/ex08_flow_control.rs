//! Exercise 8, a fake answer: only the stream window is small; the connection
//! window keeps hyper's 1 MiB. scripts/check-exercises requires these tests to
//! fail on it:
//! fails: the_server_announces_both_windows two_streams_share_one_connection_window

use tonic::transport::Server;

/// The receive window to use, in bytes: HTTP/2's default of 64 KiB - 1.
pub const WINDOW: u32 = 65_535;

/// Half of the answer.
pub fn server_builder() -> Server {
    Server::builder()
        .initial_stream_window_size(WINDOW)
        .http2_adaptive_window(Some(false))
}
