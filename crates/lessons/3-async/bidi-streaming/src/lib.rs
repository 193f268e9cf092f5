//! Chapter 3, beyond the tutorial: bidirectional `SayHello` (package `v3`) as a chat.
//!
//! The tutorial's async chapter stops before bidi streaming. Here the server
//! answers each message the moment it arrives, and the client runs its two
//! halves at once: tonic sends (paced by `--send-delay`) while the client
//! prints replies. Neither waits for the other: a reply can be printed while the
//! client still has messages to send, and the tests prove it by ordering, not
//! by timing (`client --stdin` sends lines as they are typed).
//!
//! - [`server`]: the echo greeter and `serve(listener, shutdown)` (the listing).
//! - [`client`]: `chat(url, outgoing)` and the paced messages (the listing).

pub mod client;
pub mod server;

pub use server::Greeter;
