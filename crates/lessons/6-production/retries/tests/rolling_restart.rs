//! The rolling restart with short pauses: three backend processes, each in turn
//! SIGTERMed, restarted and healthy again under load, 0 failed calls; then a
//! frozen-then-SIGKILLed backend fails at most the calls in flight on it (one
//! per caller), and none once calls are retried.

use std::time::Duration;

use retries::rolling::{Front, Plan, rolling_restart};

#[tokio::test]
async fn a_rolling_restart_fails_no_call_and_a_kill_fails_only_calls_in_flight() {
    let plan = Plan {
        exe: env!("CARGO_BIN_EXE_retries").into(),
        workers: 16,
        dwell: Duration::from_millis(100),
        frozen: Duration::from_millis(100),
    };
    let outcome = rolling_restart(plan, Front::Balancer).await.unwrap();
    eprintln!("{outcome:#?}");
    // With retries (GOAWAY races of a drain are UNAVAILABLE, see call.rs) no call fails.
    let rolling = &outcome.rolling;
    assert!(rolling.calls > 100, "{rolling:?}");
    assert_eq!(rolling.failed, 0, "{rolling:?}");

    let plain = &outcome.killed_without_retries;
    assert!(plain.calls > 0);
    assert!(
        plain.failed <= outcome.workers,
        "at most one call in flight per caller: {plain:?}"
    );
    assert_eq!(plain.retried, 0);
    // Each failure is a status tonic's transport made and did not call
    // UNAVAILABLE (its code is kept in the message), now named UNAVAILABLE.
    for failure in plain.failures.keys() {
        assert!(
            failure.starts_with("Unavailable: connection lost ("),
            "{failure}"
        );
        assert!(
            !failure.starts_with("Unavailable: connection lost (Unavailable)"),
            "{failure}"
        );
    }

    let retried = &outcome.killed_with_retries;
    assert_eq!(retried.failed, 0, "{retried:?}");
    assert!(
        retried.retried >= 1,
        "the calls in flight on it were retried: {retried:?}"
    );
}
