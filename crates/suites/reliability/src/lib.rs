//! Beyond the tutorial: a reliability suite that proves a gRPC server survives
//! every bad client.
//!
//! It is modelled on gRPC's own interoperability test cases (the ones every gRPC
//! implementation runs against every other), plus abuse cases no well-behaved
//! client would send. After each case the server must still answer a normal call.
//!
//! - [`server`]: the server under test, a production-configured greeter
//!   ([`service`]) whose [`limits`] are all explicit, obeying the test-service
//!   [`protocol`] and counting what it does in [`probes`].
//! - [`target`]: the server a run is aimed at (ours, or any at `--addr`).
//! - [`cases`]: one function per case, and [`cases::run`] which adds the budget,
//!   the skipping and the liveness check; [`raw`] holds the raw TCP / HTTP/2
//!   client the lowest-level abuse cases need.
//! - [`child`]: a lesson server started as a child process, whose own memory
//!   a test can read.
//! - [`panics`]: panics counted per server runtime, so a panic caught by tokio
//!   still fails its own case and no other.
//! - [`interop`]: grpc's own interop contract (`grpc.testing.TestService`), a
//!   server and a client with grpc's flag names, for cross-testing other implementations.
//! - [`wait`]: bounded waits, so a bug is a failed case and never a hung CI.
//! - [`report`]: the `case | result | detail` table.
//!
//! `cargo run -p reliability` runs everything against a fresh server under test;
//! `cargo test -p reliability` runs each case as its own test.

pub mod cases;
pub mod child;
pub mod interop;
pub mod limits;
pub mod panics;
pub mod probes;
pub mod protocol;
pub mod raw;
pub mod report;
pub mod server;
pub mod service;
pub mod target;
pub mod wait;

pub use limits::Limits;
pub use report::{Outcome, Table};
pub use server::TestServer;
pub use target::Target;
