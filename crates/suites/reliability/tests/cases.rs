//! Every case of the suite as its own `#[tokio::test]`, each against a fresh
//! server under test, so `cargo test --workspace` runs the whole suite.
//!
//! A case checks its exact codes, messages and counts itself (see
//! `src/cases/`); [`reliability::cases::run`] then requires the server to answer
//! a normal call, and the test requires the server to stop gracefully (nothing
//! left open).

use reliability::Outcome;
use reliability::cases::{all, run_on_fresh_server};

macro_rules! case_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let outcome = run_on_fresh_server(stringify!($name)).await.unwrap();
                assert!(matches!(outcome, Outcome::Passed(_)), "{}: {outcome:?}", stringify!($name));
            }
        )*

        /// Every registered case has a test above, so none can be forgotten.
        #[test]
        fn every_case_has_a_test() {
            let tested = [$(stringify!($name)),*];
            let missing: Vec<_> = all().iter().map(|c| c.name).filter(|n| !tested.contains(n)).collect();
            assert!(missing.is_empty(), "cases without a test: {missing:?}");
        }
    };
}

case_tests!(
    empty_unary,
    large_unary,
    server_streaming,
    client_streaming,
    ping_pong,
    empty_stream,
    timeout_on_sleeping_server,
    cancel_after_begin,
    cancel_after_first_response,
    dropped_call_stays_open,
    status_code_and_message,
    special_status_message,
    unimplemented_method,
    unimplemented_service,
    custom_metadata,
    per_call_credentials,
    oversized_request,
    oversized_response,
    response_size_from_the_client,
    concurrent_streams_1000,
    never_reading_client,
    vanishing_clients,
    garbage_instead_of_preface,
    garbage_frames,
    wrong_content_type,
    truncated_grpc_frame,
    malformed_protobuf,
    huge_length_prefix,
    vanishing_connections,
    compressed_calls,
    max_streams_1,
    rpc_soak,
    channel_soak,
);
