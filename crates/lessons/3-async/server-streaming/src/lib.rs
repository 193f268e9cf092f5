//! Chapter 3, async programming: server-streaming `SayHello` on tokio.
//!
//! The tutorial's `grpc.aio` servicer is an async generator (`yield` inside
//! `async def`). `async_stream::stream!` is the same idea in Rust: a block that
//! `yield`s messages and `.await`s in between. tonic polls the stream as the
//! client reads; when the client goes away, tonic drops the stream and the
//! generator stops at its next `.await`, mid-loop (the tests count it with
//! lesson-kit's layer, from outside the greeter).
//!
//! - [`server`]: the greeter and `serve(listener, greeter, shutdown)` (the listing).
//! - [`client`]: `run(url, name)`, the tutorial's client (the listing).

pub mod client;
pub mod server;

pub use server::Greeter;
