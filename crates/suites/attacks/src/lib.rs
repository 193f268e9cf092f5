//! Beyond the tutorial: the lesson servers under HTTP/2 and gRPC attacks.
//!
//! Each attack runs against a fresh lesson server started as its own process
//! (`<lesson> server --addr 127.0.0.1:PORT`, the CLI every lesson keeps), while a
//! normal client calls it; the run measures the normal client's success rate and
//! p99, the server's peak resident memory, and how the attacker was answered.
//!
//! - [`frames`]: a tiny HTTP/2 frame writer and reader for the malformed
//!   sequences no client library sends;
//! - [`cases`]: the attacks;
//! - [`harness`]: servers, the normal client, the pass rule;
//! - [`report`]: the results table (printed, and written into the book).

pub mod cases;
pub mod frames;
pub mod harness;
pub mod report;
