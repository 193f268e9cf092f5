//! Chapter 2, sync programming: server-streaming `SayHello`, written as blocking Rust.
//!
//! The tutorial's point here is that streaming is iteration: the Python servicer
//! `yield`s five greetings and the client loops over the call's result. In Rust
//! the handler returns an [`Iterator`], `sync-kit` turns it into the response
//! stream (one `next()` per message the transport asks for), and the blocking
//! client gets an iterator back.
//!
//! - [`server`]: the greeter and `serve(listener, max_workers, shutdown)` (the listing).
//! - [`client`]: `run(url, name)`, the tutorial's client (the listing).
//!
//! `main.rs` is the lesson-kit glue: the command line, the demo and Ctrl-C.
//!
//! ```text
//! cargo run -p sync-server-streaming
//! ```

pub mod client;
pub mod server;

pub use server::Greeter;
