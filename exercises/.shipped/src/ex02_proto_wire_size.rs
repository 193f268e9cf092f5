//! Exercise 2 (predict): how many bytes is a message on the wire? (chapter 1,
//! proto compilation)
//!
//! Work each number out from the proto and the page before running anything:
//! the test encodes the messages with prost and compares your numbers with the
//! bytes it gets. Replace each `0` with your prediction.

// ANCHOR: predict
/// The encoded size of the v1 `SayHelloRequest { name: "Jack" }`, in bytes.
pub const JACK_BYTES: usize = 0;

/// The encoded size of `SayHelloRequest { name: <200 times "a"> }`.
pub const LONG_NAME_BYTES: usize = 0;

/// The encoded size of the v4 `SayHelloResponse { message: "Hi", greeted_count: 300 }`.
pub const RESPONSE_BYTES: usize = 0;
// ANCHOR_END: predict
