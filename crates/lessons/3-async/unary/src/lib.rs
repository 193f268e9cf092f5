//! Chapter 3, async programming: unary `SayHello` on tokio.
//!
//! The tutorial's `grpc.aio` server awaits inside `async def SayHello`; here the
//! handler is an `async fn` and tokio runs it. While a call awaits (here: a
//! `--work-delay` sleep) its thread serves other calls, so N slow calls are all in
//! progress at once on one server.
//!
//! - [`server`]: the greeter and `serve(listener, work_delay, shutdown)` (the listing).
//! - [`client`]: `run(url, name)`, the tutorial's client (the listing).
//! - [`burst`]: `--concurrent N`, many calls at once over one connection.
//! - [`counted`]: the same server with a counting layer around it, so "high
//!   concurrency" is a number the client prints, not a claim (glue, not listed).
//! - [`memory`]: `server --report-memory-at N`, what a waiting call costs, measured.

pub mod burst;
pub mod client;
pub mod counted;
pub mod memory;
pub mod server;

pub use burst::{Burst, IN_FLIGHT_HEADER, call_at_once};
pub use server::Greeter;
