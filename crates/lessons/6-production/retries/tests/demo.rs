//! The demo binary, run whole with short pauses: the lines the page shows that
//! do not vary from run to run, and 0 failed calls where the page says 0.

use lesson_kit::testing::run_binary;

#[tokio::test]
async fn the_demo_retries_waits_hedges_and_restarts_without_failed_calls() {
    let args = [
        "--slow-for",
        "100ms",
        "--period",
        "300ms",
        "--calls",
        "100",
        "--dwell",
        "100ms",
    ];
    let out = run_binary(env!("CARGO_BIN_EXE_retries"), args).await;
    assert!(out.success, "{}", out.stderr);
    let lines = out.lines;
    let has = |want: &str| lines.iter().any(|l| l == want);
    assert!(
        has(r#"retry: "Hello, Jack!" after 2 retries"#),
        "{lines:#?}"
    );
    assert!(has(
        "wait-for-ready: a plain call with no server up: Some(Unavailable)"
    ));
    assert!(has(
        r#"wait-for-ready: the waiting call got "Hello, Jack!" from a server started after it"#
    ));
    let line = |prefix: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} line in {lines:#?}"))
            .clone()
    };
    assert!(line("hedging off: 100 calls").contains("p99"));
    assert!(line("hedging on at p90: 100 calls").contains("extra calls"));
    assert!(line("rolling restart (SIGTERM, restart, healthy, x3): ").contains(" 0 failed,"));
    assert!(line("SIGKILL, retries: ").contains(" 0 failed,"));
    assert!(line("SIGKILL, no retries: ").contains(" 0 retried,"));
}
