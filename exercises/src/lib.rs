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
#[cfg_attr(feature = "solutions", path = "../solutions/ex02_proto_wire_size.rs")]
pub mod ex02_proto_wire_size;
#[cfg_attr(feature = "solutions", path = "../solutions/ex03_blocking_client.rs")]
pub mod ex03_blocking_client;
#[cfg_attr(feature = "solutions", path = "../solutions/ex04_sync_unary.rs")]
pub mod ex04_sync_unary;
#[cfg_attr(feature = "solutions", path = "../solutions/ex05_predict_workers.rs")]
pub mod ex05_predict_workers;
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ex06_sync_server_streaming.rs"
)]
pub mod ex06_sync_server_streaming;
#[cfg_attr(feature = "solutions", path = "../solutions/ex07_sync_bidi.rs")]
pub mod ex07_sync_bidi;
#[cfg_attr(feature = "solutions", path = "../solutions/ex08_flow_control.rs")]
pub mod ex08_flow_control;
#[cfg_attr(feature = "solutions", path = "../solutions/ex09_predict_window.rs")]
pub mod ex09_predict_window;
#[cfg_attr(feature = "solutions", path = "../solutions/ex10_async_unary.rs")]
pub mod ex10_async_unary;
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ex11_async_server_streaming.rs"
)]
pub mod ex11_async_server_streaming;
#[cfg_attr(feature = "solutions", path = "../solutions/ex13_client_streaming.rs")]
pub mod ex13_client_streaming;
#[cfg_attr(feature = "solutions", path = "../solutions/ex14_async_bidi.rs")]
pub mod ex14_async_bidi;
#[cfg_attr(feature = "solutions", path = "../solutions/ex18_tls.rs")]
pub mod ex18_tls;
#[cfg_attr(feature = "solutions", path = "../solutions/ex20_token_auth.rs")]
pub mod ex20_token_auth;
#[cfg_attr(feature = "solutions", path = "../solutions/ex22_request_signing.rs")]
pub mod ex22_request_signing;
#[cfg_attr(feature = "solutions", path = "../solutions/ex23_missing_deadline.rs")]
pub mod ex23_missing_deadline;
#[cfg_attr(feature = "solutions", path = "../solutions/ex25_errors.rs")]
pub mod ex25_errors;
#[cfg_attr(feature = "solutions", path = "../solutions/ex28_health_reflection.rs")]
pub mod ex28_health_reflection;
