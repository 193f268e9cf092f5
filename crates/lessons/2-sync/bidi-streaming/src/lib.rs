//! Chapter 2, sync programming: bidi `SayHello` and the tutorial's flow-control
//! experiment.
//!
//! The client streams 25 requests of 4 000 characters; the server waits 5 s
//! before reading, then reads, works 1 s and replies per request. Both sides keep
//! HTTP/2's windows at 65 535 bytes (adaptive windows, BDP probing, stay off, as
//! they are by default), so the client's first requests fill the server's window
//! and the client then has to wait: back-pressure. The client's log shows it; the
//! flow-control page of the book explains every byte.
//!
//! - [`server`]: the greeter, its handler `say_hello(requests, ...)` from
//!   iterator to iterator, and `serve(listener, max_workers, initial_delay,
//!   work_delay, shutdown)` (the listing).
//! - [`client`]: `requests(count, size)`, the tutorial's request generator, and
//!   `run(url, count, size)`, its client (the listing).
//!
//! `main.rs` is the lesson-kit glue: the command line, the demo and Ctrl-C.
//!
//! ```text
//! cargo run -p sync-bidi-streaming                                         # 30 s, the tutorial's timing
//! cargo run -p sync-bidi-streaming -- --initial-delay 1s --work-delay 50ms # quicker
//! ```

pub mod client;
pub mod server;

pub use server::{Greeter, WINDOW};
