//! Exercise 9 (predict): how far does a client get before a busy server reads?
//! (chapter 2, flow control)
//!
//! The tutorial's bidi client streams 25 requests of 4 000 characters (`"1"`
//! repeated) to a server that waits before it reads anything. The server's
//! HTTP/2 windows are fixed at 65 535 bytes (stream and connection), as the
//! tutorial configures them. Predict three numbers from the page, then let the
//! test measure them: the first two from the encoded request, the third by
//! counting the steps the client's request iterator makes while the server
//! reads nothing.

// ANCHOR: predict
/// The server's receive windows, in bytes.
pub const WINDOW: u32 = 65_535;
/// Requests the client wants to send, and characters in each one's name.
pub const REQUESTS: usize = 25;
/// Characters in each request's name.
pub const NAME_CHARS: usize = 4_000;

/// Bytes one request takes in a DATA frame: the protobuf message plus gRPC's
/// message prefix.
pub const WIRE_BYTES_PER_REQUEST: usize = 0;
/// Whole requests that fit in the window.
pub const WHOLE_REQUESTS_IN_WINDOW: usize = 0;
/// Requests the client's iterator has made (the blocking layer's demand-driven
/// pull) by the time it stalls, the server having read none.
pub const REQUESTS_MADE: usize = 0;
// ANCHOR_END: predict
