//! Exercise 9, solved: how far does a client get before a busy server reads?

/// The server's receive windows, in bytes.
pub const WINDOW: u32 = 65_535;
/// Requests the client wants to send.
pub const REQUESTS: usize = 25;
/// Characters in each request's name.
pub const NAME_CHARS: usize = 4_000;

/// 1 tag byte + 2 length bytes (4 000 as a varint) + 4 000 characters, plus the
/// 5-byte gRPC prefix (compressed flag and 4-byte length).
pub const WIRE_BYTES_PER_REQUEST: usize = 4_008;
/// 65 535 = 16 × 4 008 + 1 407.
pub const WHOLE_REQUESTS_IN_WINDOW: usize = 16;
/// 16 sent whole, the 17th half sent (the rest in h2's send buffer), and the 18th
/// held by hyper waiting for capacity; the 19th `next()` is never called.
pub const REQUESTS_MADE: usize = 18;
