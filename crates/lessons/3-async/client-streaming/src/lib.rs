//! Chapter 3, beyond the tutorial: client-streaming `SayHello` (package `v4`).
//!
//! The tutorial shows unary, server streaming and bidi; this is the fourth shape.
//! The client streams names; the server reads them all as they come, then answers
//! once: `Hello, a, b and c!` with `greeted_count = 3`. No names is a normal
//! call with a normal answer (`Hello, nobody!`); too many names is a clear
//! `RESOURCE_EXHAUSTED`, because the server keeps them in memory.
//!
//! - [`server`]: the greeter and `serve(listener, greeter, shutdown)` (the listing).
//! - [`client`]: `run(url, names)` (the listing).

pub mod client;
pub mod server;

pub use server::{Greeter, greeting};
