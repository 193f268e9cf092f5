//! The retry policy over real sockets: what it retries, what it does not, and
//! what stops it (attempts, the deadline, the budget).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use lesson_kit::RunningServer;
use retries::backend::{Backend, Behaviour};
use retries::client::{SAY_HELLO, retrying, say_hello};
use retries::retry_policy::RetryPolicy;
use tokio::time::Instant;
use tonic::Code;
use tonic::transport::Channel;
use tower::retry::budget::TpsBudget;

const TIMEOUT: Duration = Duration::from_secs(10);

async fn start(behaviour: Behaviour) -> (Backend, RunningServer) {
    let backend = Backend::new(behaviour);
    let serving = backend.clone();
    let running = RunningServer::start(move |listener, shutdown| serving.serve(listener, shutdown))
        .await
        .unwrap();
    (backend, running)
}

fn failing(n: usize, code: Code) -> Behaviour {
    Behaviour {
        fail_first: n,
        fail_with: Some(code),
        ..Behaviour::default()
    }
}

fn channel(running: &RunningServer) -> Channel {
    Channel::from_shared(running.url(false))
        .unwrap()
        .connect_lazy()
}

#[tokio::test]
async fn two_unavailable_answers_are_retried_and_the_call_succeeds() {
    let (backend, running) = start(failing(2, Code::Unavailable)).await;
    let policy = RetryPolicy::new(&[SAY_HELLO]);
    let retried = policy.retried.clone();
    let mut client = retrying(channel(&running), policy);
    let reply = say_hello(&mut client, "Ana", TIMEOUT).await.unwrap();
    assert_eq!(reply.message, "Hello, Ana!");
    assert_eq!(backend.received(), 3);
    assert_eq!(retried.load(Ordering::SeqCst), 2);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn attempts_stop_at_max_attempts_with_the_last_error() {
    let (backend, running) = start(failing(5, Code::Unavailable)).await;
    let mut client = retrying(channel(&running), RetryPolicy::new(&[SAY_HELLO]));
    let status = say_hello(&mut client, "Ana", TIMEOUT).await.unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert_eq!(status.message(), "call 3 fails on purpose");
    assert_eq!(backend.received(), 3);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_method_not_on_the_idempotent_list_is_not_retried() {
    let (backend, running) = start(failing(2, Code::Unavailable)).await;
    let policy = RetryPolicy::new(&["/tutorial.helloworld.v1.GreeterService/SayGoodbye"]);
    let mut client = retrying(channel(&running), policy);
    let status = say_hello(&mut client, "Ana", TIMEOUT).await.unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert_eq!(backend.received(), 1);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn invalid_argument_is_not_retried() {
    let (backend, running) = start(failing(1, Code::InvalidArgument)).await;
    let mut client = retrying(channel(&running), RetryPolicy::new(&[SAY_HELLO]));
    let status = say_hello(&mut client, "Ana", TIMEOUT).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(backend.received(), 1);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn retries_stop_before_the_deadline_with_the_last_error() {
    let (backend, running) = start(failing(usize::MAX, Code::Unavailable)).await;
    let mut policy = RetryPolicy::new(&[SAY_HELLO]);
    policy.max_attempts = u32::MAX;
    policy.base_backoff = Duration::from_millis(20);
    policy.max_backoff = Duration::from_millis(20);
    policy.budget = Arc::new(TpsBudget::new(Duration::from_secs(10), 1000, 1000.0));
    let mut client = retrying(channel(&running), policy);
    let timeout = Duration::from_millis(300);
    let started = Instant::now();
    let status = say_hello(&mut client, "Ana", timeout).await.unwrap_err();
    // The caller gets the server's UNAVAILABLE, not DEADLINE_EXCEEDED: the retry
    // that could not finish was never sent.
    assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    assert!(started.elapsed() <= timeout, "{:?}", started.elapsed());
    assert!(
        backend.received() >= 2,
        "some retries fit: {}",
        backend.received()
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_retry_that_could_not_finish_in_time_is_not_started() {
    let (backend, running) = start(failing(1, Code::Unavailable)).await;
    let mut policy = RetryPolicy::new(&[SAY_HELLO]);
    policy.attempt_time = Duration::from_secs(20); // longer than the call's 10 s
    let mut client = retrying(channel(&running), policy);
    let status = say_hello(&mut client, "Ana", TIMEOUT).await.unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert_eq!(backend.received(), 1);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn an_exhausted_budget_stops_retries() {
    let calls = 20;
    let (backend, running) = start(failing(usize::MAX, Code::Unavailable)).await;
    // One retry per 10 calls, no floor.
    let mut policy = RetryPolicy::new(&[SAY_HELLO]);
    policy.budget = Arc::new(TpsBudget::new(Duration::from_secs(60), 0, 0.1));
    let retried = policy.retried.clone();
    let mut client = retrying(channel(&running), policy);
    for _ in 0..calls {
        let status = say_hello(&mut client, "Ana", TIMEOUT).await.unwrap_err();
        assert_eq!(status.code(), Code::Unavailable);
    }
    let retried = retried.load(Ordering::SeqCst);
    assert!((1..=2).contains(&retried), "retried {retried}");
    assert_eq!(backend.received(), calls + retried);

    // The same calls with room in the budget: every call gets its 2 retries.
    let generous = RetryPolicy::new(&[SAY_HELLO]);
    let counted = generous.retried.clone();
    let mut client = retrying(channel(&running), generous);
    for _ in 0..calls {
        say_hello(&mut client, "Ana", TIMEOUT).await.unwrap_err();
    }
    assert_eq!(counted.load(Ordering::SeqCst), 2 * calls);
    running.stop().await.unwrap();
}
