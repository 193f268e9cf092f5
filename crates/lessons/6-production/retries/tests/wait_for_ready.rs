//! Wait-for-ready against a server that starts after the call: the call waits
//! and succeeds within its deadline; a plain call fails fast with UNAVAILABLE.
//! The server listens on a Unix socket in a fresh directory, so "nobody
//! listening yet" needs no port that someone else could take.

use std::time::Duration;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use lesson_kit::shutdown;
use retries::backend::Backend;
use retries::wait_for_ready::{lazy_channel, never_connected, say_hello_wait_for_ready};
use tokio::sync::mpsc;
use tonic::Code;

const BOUND: Duration = Duration::from_secs(10);

#[tokio::test]
async fn a_waiting_call_succeeds_on_a_server_started_while_it_waits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("greeter.sock");
    let channel = lazy_channel(&format!("unix:{}", path.display())).unwrap();

    let (attempted, mut attempts) = mpsc::unbounded_channel();
    let call = tokio::spawn(say_hello_wait_for_ready(
        channel.clone(),
        "Ana",
        BOUND,
        move |status| {
            let _ = attempted.send(status.code());
        },
    ));
    // The call has tried and found nobody: only now does the server start.
    assert_eq!(attempts.recv().await, Some(Code::Unavailable));
    let listener = tokio::net::UnixListener::bind(&path).unwrap();
    let (stop, stopped) = shutdown::channel();
    let server = tokio::spawn(Backend::default().serve_unix(listener, stopped));

    let reply = tokio::time::timeout(BOUND, call)
        .await
        .expect("the call finishes within its deadline")
        .unwrap()
        .unwrap();
    assert_eq!(reply.message, "Hello, Ana!");
    stop.trigger();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_plain_call_fails_fast_with_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let channel = lazy_channel(&format!(
        "unix:{}",
        dir.path().join("nobody.sock").display()
    ))
    .unwrap();
    let mut client = GreeterServiceClient::new(channel);
    let mut request = tonic::Request::new(SayHelloRequest { name: "Ana".into() });
    request.set_timeout(Duration::from_secs(600));
    // Bounded well below its own 600 s deadline: it does not wait.
    let status = tokio::time::timeout(BOUND, client.say_hello(request))
        .await
        .expect("fails fast")
        .unwrap_err();
    assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    assert!(never_connected(&status), "{status:?}");
}

#[tokio::test]
async fn a_waiting_call_gives_up_at_its_deadline_when_no_server_comes() {
    let dir = tempfile::tempdir().unwrap();
    let channel = lazy_channel(&format!(
        "unix:{}",
        dir.path().join("nobody.sock").display()
    ))
    .unwrap();
    let mut waited = 0;
    let status = tokio::time::timeout(
        BOUND,
        say_hello_wait_for_ready(channel, "Ana", Duration::from_millis(200), |_| waited += 1),
    )
    .await
    .expect("ends at its deadline")
    .unwrap_err();
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    assert!(waited >= 2, "it kept trying: {waited}");
}

#[tokio::test]
async fn a_status_from_the_server_is_not_a_connection_failure() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("greeter.sock");
    let listener = tokio::net::UnixListener::bind(&path).unwrap();
    let (stop, stopped) = shutdown::channel();
    let backend = Backend::new(retries::backend::Behaviour {
        fail_first: 1,
        ..Default::default()
    });
    let server = tokio::spawn(backend.clone().serve_unix(listener, stopped));
    let channel = lazy_channel(&format!("unix:{}", path.display())).unwrap();
    let mut waited = 0;
    // The server's own UNAVAILABLE is returned, not waited out: the call reached it.
    let status = say_hello_wait_for_ready(channel, "Ana", BOUND, |_| waited += 1)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert!(!never_connected(&status));
    assert_eq!((waited, backend.received()), (0, 1));
    stop.trigger();
    server.await.unwrap().unwrap();
}
