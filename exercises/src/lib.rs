//! Self-checking gRPC exercises: each module below has `todo!()` holes, and
//! `tests/<module>.rs` checks its behaviour over a real socket.
//!
//! Work through them with the runner: `cargo run -p workshop` lists them,
//! `cargo run -p workshop -- verify` checks the next one and says what to do.
//! The reference solutions live in `solutions/`; building with
//! `--features solutions` swaps every module for its solution, which is how CI
//! proves each exercise's tests fail unsolved and pass solved. `--features fakes`
//! swaps some modules for a fake answer from `fakes/` (a client that never calls,
//! a handler that returns a constant, half of a configuration), and CI proves the
//! tests fail on those too.
//!
//! A hole is a `todo!()`: it compiles, so one unsolved exercise never stops the
//! others from building, and it panics when reached, so its tests fail.

// Unsolved holes leave parameters and imports unused; that is the point, not a bug.
// The solutions build keeps every lint on.
#![cfg_attr(not(feature = "solutions"), allow(unused))]

#[cfg(all(feature = "solutions", feature = "fakes"))]
compile_error!("`solutions` and `fakes` swap the same modules: build with one of them");

pub mod support;

pub mod ex01_proto_field;
#[cfg_attr(feature = "solutions", path = "../solutions/ex02_proto_wire_size.rs")]
pub mod ex02_proto_wire_size;
#[cfg_attr(feature = "solutions", path = "../solutions/ex03_blocking_client.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex03_blocking_client.rs")]
pub mod ex03_blocking_client;
#[cfg_attr(feature = "solutions", path = "../solutions/ex04_sync_unary.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex04_sync_unary.rs")]
pub mod ex04_sync_unary;
#[cfg_attr(feature = "solutions", path = "../solutions/ex05_predict_workers.rs")]
pub mod ex05_predict_workers;
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ex06_sync_server_streaming.rs"
)]
#[cfg_attr(feature = "fakes", path = "../fakes/ex06_sync_server_streaming.rs")]
pub mod ex06_sync_server_streaming;
#[cfg_attr(feature = "solutions", path = "../solutions/ex07_sync_bidi.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex07_sync_bidi.rs")]
pub mod ex07_sync_bidi;
#[cfg_attr(feature = "solutions", path = "../solutions/ex08_flow_control.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex08_flow_control.rs")]
pub mod ex08_flow_control;
#[cfg_attr(feature = "solutions", path = "../solutions/ex09_predict_window.rs")]
pub mod ex09_predict_window;
#[cfg_attr(feature = "solutions", path = "../solutions/ex10_async_unary.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex10_async_unary.rs")]
pub mod ex10_async_unary;
#[cfg_attr(feature = "solutions", path = "../solutions/ex11_stream_never_ends.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex11_stream_never_ends.rs")]
pub mod ex11_stream_never_ends;
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ex12_async_server_streaming.rs"
)]
#[cfg_attr(feature = "fakes", path = "../fakes/ex12_async_server_streaming.rs")]
pub mod ex12_async_server_streaming;
#[cfg_attr(feature = "solutions", path = "../solutions/ex13_client_streaming.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex13_client_streaming.rs")]
pub mod ex13_client_streaming;
#[cfg_attr(feature = "solutions", path = "../solutions/ex14_async_bidi.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex14_async_bidi.rs")]
pub mod ex14_async_bidi;
#[cfg_attr(feature = "solutions", path = "../solutions/ex15_bidi_deadlock.rs")]
pub mod ex15_bidi_deadlock;
#[cfg_attr(feature = "solutions", path = "../solutions/ex16_blocking_sleep.rs")]
pub mod ex16_blocking_sleep;
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ex17_block_on_in_runtime.rs"
)]
#[cfg_attr(feature = "fakes", path = "../fakes/ex17_block_on_in_runtime.rs")]
pub mod ex17_block_on_in_runtime;
#[cfg_attr(feature = "solutions", path = "../solutions/ex18_tls.rs")]
pub mod ex18_tls;
#[cfg_attr(feature = "solutions", path = "../solutions/ex19_mtls.rs")]
pub mod ex19_mtls;
#[cfg_attr(feature = "solutions", path = "../solutions/ex20_token_auth.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex20_token_auth.rs")]
pub mod ex20_token_auth;
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ex21_token_over_plaintext.rs"
)]
pub mod ex21_token_over_plaintext;
#[cfg_attr(feature = "solutions", path = "../solutions/ex22_request_signing.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex22_request_signing.rs")]
pub mod ex22_request_signing;
#[cfg_attr(feature = "solutions", path = "../solutions/ex23_missing_deadline.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex23_missing_deadline.rs")]
pub mod ex23_missing_deadline;
#[cfg_attr(feature = "solutions", path = "../solutions/ex24_channel_timeout.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex24_channel_timeout.rs")]
pub mod ex24_channel_timeout;
#[cfg_attr(feature = "solutions", path = "../solutions/ex25_errors.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex25_errors.rs")]
pub mod ex25_errors;
#[cfg_attr(feature = "solutions", path = "../solutions/ex26_wrong_status.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex26_wrong_status.rs")]
pub mod ex26_wrong_status;
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ex27_metadata_interceptor.rs"
)]
#[cfg_attr(feature = "fakes", path = "../fakes/ex27_metadata_interceptor.rs")]
pub mod ex27_metadata_interceptor;
#[cfg_attr(feature = "solutions", path = "../solutions/ex28_health_reflection.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex28_health_reflection.rs")]
pub mod ex28_health_reflection;
#[cfg_attr(feature = "solutions", path = "../solutions/ex29_compression.rs")]
pub mod ex29_compression;
#[cfg_attr(feature = "solutions", path = "../solutions/ex30_message_limits.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex30_message_limits.rs")]
pub mod ex30_message_limits;
#[cfg_attr(feature = "solutions", path = "../solutions/ex31_keepalive.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex31_keepalive.rs")]
pub mod ex31_keepalive;
#[cfg_attr(feature = "solutions", path = "../solutions/ex32_graceful_shutdown.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex32_graceful_shutdown.rs")]
pub mod ex32_graceful_shutdown;
#[cfg_attr(feature = "solutions", path = "../solutions/ex33_authorization.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex33_authorization.rs")]
pub mod ex33_authorization;
#[cfg_attr(feature = "solutions", path = "../solutions/ex34_in_process.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex34_in_process.rs")]
pub mod ex34_in_process;
#[cfg_attr(feature = "solutions", path = "../solutions/ex35_retry_policy.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex35_retry_policy.rs")]
pub mod ex35_retry_policy;
#[cfg_attr(feature = "solutions", path = "../solutions/ex36_trace_context.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex36_trace_context.rs")]
pub mod ex36_trace_context;
#[cfg_attr(feature = "solutions", path = "../solutions/ex37_grpc_web.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex37_grpc_web.rs")]
pub mod ex37_grpc_web;
#[cfg_attr(feature = "solutions", path = "../solutions/ex38_peer_credentials.rs")]
#[cfg_attr(feature = "fakes", path = "../fakes/ex38_peer_credentials.rs")]
pub mod ex38_peer_credentials;
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ex39_contract_evolution.rs"
)]
#[cfg_attr(feature = "fakes", path = "../fakes/ex39_contract_evolution.rs")]
pub mod ex39_contract_evolution;
