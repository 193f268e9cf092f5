//! Self-checking gRPC exercises: each module below has `todo!()` holes, and
//! `tests/<module>.rs` checks its behaviour over a real socket.
//!
//! Work through them with the runner: `cargo run -p workshop` lists them,
//! `cargo run -p workshop -- verify` checks the next one and says what to do.
//! The reference solutions live in `solutions/`; building with
//! `--features solutions` swaps every module for its solution, which is how CI
//! proves each exercise's tests fail unsolved and pass solved.
//!
//! A hole is a `todo!()`: it compiles, so one unsolved exercise never stops the
//! others from building, and it panics when reached, so its tests fail.

// Unsolved holes leave parameters and imports unused; that is the point, not a bug.
// The solutions build keeps every lint on.
#![cfg_attr(not(feature = "solutions"), allow(unused))]

pub mod support;

pub mod ex01_proto_field;
#[cfg_attr(feature = "solutions", path = "../solutions/ex02_unary.rs")]
pub mod ex02_unary;
#[cfg_attr(feature = "solutions", path = "../solutions/ex03_server_streaming.rs")]
pub mod ex03_server_streaming;
#[cfg_attr(feature = "solutions", path = "../solutions/ex04_client_streaming.rs")]
pub mod ex04_client_streaming;
#[cfg_attr(feature = "solutions", path = "../solutions/ex05_bidi_streaming.rs")]
pub mod ex05_bidi_streaming;
#[cfg_attr(feature = "solutions", path = "../solutions/ex06_flow_control.rs")]
pub mod ex06_flow_control;
#[cfg_attr(feature = "solutions", path = "../solutions/ex07_deadlines.rs")]
pub mod ex07_deadlines;
#[cfg_attr(feature = "solutions", path = "../solutions/ex08_errors.rs")]
pub mod ex08_errors;
#[cfg_attr(feature = "solutions", path = "../solutions/ex09_tls.rs")]
pub mod ex09_tls;
#[cfg_attr(feature = "solutions", path = "../solutions/ex10_token_auth.rs")]
pub mod ex10_token_auth;
#[cfg_attr(feature = "solutions", path = "../solutions/ex11_custom_auth.rs")]
pub mod ex11_custom_auth;
#[cfg_attr(feature = "solutions", path = "../solutions/ex12_health_reflection.rs")]
pub mod ex12_health_reflection;
#[cfg_attr(feature = "solutions", path = "../solutions/ex13_blocking_client.rs")]
pub mod ex13_blocking_client;
