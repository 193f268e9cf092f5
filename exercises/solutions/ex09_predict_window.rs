//! Exercise 9, solved: how far does a client get before a busy server reads?

/// The server's receive windows, in bytes.
pub const WINDOW: u32 = 65_535;
/// Requests the client wants to send.
pub const REQUESTS: usize = 25;
/// Characters in each request's name.
pub const NAME_CHARS: usize = 3_000;

/// 1 tag byte + 2 length bytes (3 000 as a varint) + 3 000 characters, plus the
/// 5-byte gRPC prefix (compressed flag and 4-byte length).
pub const WIRE_BYTES_PER_REQUEST: usize = 3_008;
/// 65 535 = 21 × 3 008 + 2 367.
pub const WHOLE_REQUESTS_IN_WINDOW: usize = 21;
/// What is left of the window after the whole ones: 65 535 - 21 × 3 008.
pub const PART_SENT_BYTES: usize = 2_367;
