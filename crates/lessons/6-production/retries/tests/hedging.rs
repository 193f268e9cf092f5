//! Hedging against a backend whose every 20th call takes 200 ms: with hedging,
//! no call waits that long, every slow call got a second copy, and the copies
//! stay within what a p90 hedge allows: one per slow call, plus 10% of the calls.

use std::sync::atomic::Ordering;
use std::time::Duration;

use lesson_kit::RunningServer;
use retries::backend::{Backend, Behaviour};
use retries::client::SAY_HELLO;
use retries::hedging::hedged;
use retries::load;
use retries::wait_for_ready::lazy_channel;

const SLOW: Duration = Duration::from_millis(200);
const EVERY: usize = 20;
const TIMEOUT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn hedged_calls_never_wait_for_a_slow_call_and_cost_at_most_ten_percent() {
    let backend = Backend::new(Behaviour {
        slow_every: Some(EVERY),
        slow_for: SLOW,
        ..Behaviour::default()
    });
    let serving = backend.clone();
    let running = RunningServer::start(move |listener, shutdown| serving.serve(listener, shutdown))
        .await
        .unwrap();
    let channel = lazy_channel(&running.url(false)).unwrap();
    // A period longer than a slow call, so no period passes without calls.
    let period = SLOW * 2;
    let (mut hedged, hedges) = hedged(channel, &[SAY_HELLO], 0.9, period);

    load::warm_up(&mut hedged, period, TIMEOUT).await.unwrap();
    let before = (backend.received(), hedges.load(Ordering::SeqCst));

    let calls = 200;
    let latencies = load::hedged_calls(&mut hedged, calls, TIMEOUT)
        .await
        .unwrap();
    let received = backend.received() - before.0;
    let sent_twice = hedges.load(Ordering::SeqCst) - before.1;

    assert_eq!(latencies.len(), calls);
    assert!(
        latencies.max() < SLOW,
        "a call waited for a slow one: {:?}",
        latencies.max()
    );
    // A copy sent just before the first answer can be cancelled before the server
    // runs it, so the server saw between `calls` and `calls + sent_twice`.
    assert!(
        (calls..=calls + sent_twice).contains(&received),
        "{received} received for {calls} calls and {sent_twice} copies"
    );
    // The server made at least this many calls slow, and each was answered
    // without waiting for it: by its copy.
    let slow_ones = received / EVERY;
    assert!(slow_ones >= calls / EVERY, "{slow_ones}");
    assert!(
        sent_twice >= slow_ones,
        "{sent_twice} hedges for {slow_ones} slow calls"
    );
    assert!(
        sent_twice <= slow_ones + calls / 10,
        "{sent_twice} hedges: more than one per slow call ({slow_ones}) and 10% of {calls}"
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_method_not_on_the_list_is_never_hedged() {
    let backend = Backend::new(Behaviour {
        slow_every: Some(5),
        slow_for: Duration::from_millis(20),
        ..Behaviour::default()
    });
    let serving = backend.clone();
    let running = RunningServer::start(move |listener, shutdown| serving.serve(listener, shutdown))
        .await
        .unwrap();
    let channel = lazy_channel(&running.url(false)).unwrap();
    let period = Duration::from_millis(100);
    let (mut hedged, hedges) = hedged(channel, &[], 0.5, period);
    load::warm_up(&mut hedged, period, TIMEOUT).await.unwrap();
    let latencies = load::hedged_calls(&mut hedged, 50, TIMEOUT).await.unwrap();
    assert_eq!(hedges.load(Ordering::SeqCst), 0);
    assert!(
        latencies.max() >= Duration::from_millis(20),
        "slow calls were waited for"
    );
    running.stop().await.unwrap();
}
