//! Exercise 2, solved: how many bytes is a message on the wire?

/// The encoded size of the v1 `SayHelloRequest { name: "Jack" }`, in bytes:
/// one tag byte (field 1, length-delimited), one length byte, four bytes of text.
pub const JACK_BYTES: usize = 6;

/// The encoded size of `SayHelloRequest { name: <200 times "a"> }`: the length
/// 200 needs two varint bytes (a varint byte carries 7 bits), so 1 + 2 + 200.
pub const LONG_NAME_BYTES: usize = 203;

/// The encoded size of the v4 `SayHelloResponse { message: "Hi", greeted_count: 300 }`:
/// 1 + 1 + 2 for the message, then a tag byte and a two-byte varint for 300.
pub const RESPONSE_BYTES: usize = 7;
