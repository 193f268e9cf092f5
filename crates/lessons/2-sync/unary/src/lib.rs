//! Chapter 2, sync programming: unary `SayHello`, written as blocking Rust.
//!
//! The tutorial's first sync example: a servicer whose `SayHello` returns a
//! greeting, served on a thread pool of 10 workers, and a client that calls it
//! once. The handler is plain blocking code; `sync-kit`'s `WorkerPool` runs it
//! on at most `max_workers` threads, and its `BlockingChannel` makes the call.
//!
//! - [`server`]: the greeter and `serve(listener, max_workers, work_delay, shutdown)`
//!   (the listing).
//! - [`client`]: `run(url, name)`, the tutorial's client, and `run_concurrent`,
//!   many calls at once to show the worker limit (the listing).
//!
//! `main.rs` is the lesson-kit glue: the command line, the demo and Ctrl-C.
//!
//! ```text
//! cargo run -p sync-unary                                      # demo
//! cargo run -p sync-unary -- --work-delay 1s --concurrent 25   # see the worker limit
//! ```

pub mod client;
pub mod server;

pub use server::Greeter;
