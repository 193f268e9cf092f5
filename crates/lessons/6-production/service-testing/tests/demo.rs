//! The lesson's binary: the same calls over TCP and in process print the same.

use std::time::Duration;

#[tokio::test]
async fn the_demo_prints_the_same_outcomes_over_tcp_and_in_process() {
    let run = lesson_kit::testing::run_binary(
        env!("CARGO_BIN_EXE_service-testing"),
        Vec::<String>::new(),
    );
    let output = tokio::time::timeout(Duration::from_secs(30), run)
        .await
        .expect("the demo ends");
    assert!(output.success, "{}", output.stderr);
    assert_eq!(
        output.lines,
        [
            "over TCP, name \"Jack\": Hello, Jack!",
            "over TCP, name \"\": status InvalidArgument: name must not be empty",
            "in process, name \"Jack\": Hello, Jack!",
            "in process, name \"\": status InvalidArgument: name must not be empty",
        ]
    );
}
