//! The blocking layer of the sync chapter: write gRPC handlers and clients as
//! plain blocking Rust, and run them on tonic.
//!
//! The tutorial's sync chapter uses grpcio's thread-pool server and blocking
//! stubs. tonic is async, so this crate supplies the missing layer once, for
//! every sync lesson:
//!
//! * [`WorkerPool`] ([`pool`]): runs blocking handlers on at most `max_workers`
//!   threads at once, like `ThreadPoolExecutor(max_workers=10)`.
//! * [`Requests`] / [`Responses`] ([`to_iter`]): an incoming gRPC stream as an
//!   [`Iterator`] (each `next()` waits for one message).
//! * [`pull`] ([`to_stream`]): an [`Iterator`] as an outgoing stream, stepped only
//!   when the transport wants the next message, so HTTP/2 back-pressure reaches it.
//! * [`after_yield`] ([`mod@after_yield`]): run code once an item has been taken,
//!   as Python runs the statements after `yield`.
//! * [`BlockingChannel`] and [`run_blocking`] ([`client`]): blocking calls, like
//!   grpcio's stub.
//!
//! The point the tutorial makes, that streaming *is* iterators, holds here too:
//! a server-streaming handler returns an `Iterator`; a bidi handler takes one
//! and returns another.

pub mod after_yield;
pub mod client;
pub mod pool;
pub mod simple_pool;
pub mod to_iter;
pub mod to_stream;

pub use after_yield::{AfterYield, after_yield};
pub use client::{BlockingChannel, RequestStream, run_blocking};
pub use pool::{DEFAULT_MAX_WORKERS, ResponseStream, WorkerPool, at_least_one};
pub use to_iter::{Requests, Responses};
pub use to_stream::pull;
