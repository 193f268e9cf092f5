//! Exercise 9 (predict): how far does a client get before a busy server reads?
//! (chapter 2, flow control)
//!
//! Like the tutorial's bidi client, but with 25 requests of 3 000 characters
//! (`"1"` repeated), streamed to a server that waits before it reads anything. The
//! server's HTTP/2 windows are fixed at 65 535 bytes (stream and connection), as
//! the tutorial configures them. Predict three numbers with the page's method,
//! then let the test measure them: the first from the encoded request, the other
//! two from the DATA frames a proxy between client and server sees before the
//! window is used up.

// ANCHOR: predict
/// The server's receive windows, in bytes.
pub const WINDOW: u32 = 65_535;
/// Requests the client wants to send.
pub const REQUESTS: usize = 25;
/// Characters in each request's name.
pub const NAME_CHARS: usize = 3_000;

/// Bytes one request takes in a DATA frame: the protobuf message plus gRPC's
/// message prefix.
pub const WIRE_BYTES_PER_REQUEST: usize = 0;
/// Whole requests that go out before the window is used up.
pub const WHOLE_REQUESTS_IN_WINDOW: usize = 0;
/// Bytes of the next request that still go out (the rest waits on the client).
pub const PART_SENT_BYTES: usize = 0;
// ANCHOR_END: predict
