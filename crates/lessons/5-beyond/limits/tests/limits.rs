//! Every limit, hit over a real socket; the server keeps serving after each.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use lesson_kit::{InFlight, RunningServer};
use limits::{ClientFlags, ServerFlags, client, serve_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tonic::Code;

const BOUND: Duration = Duration::from_secs(5);

fn server_flags() -> ServerFlags {
    ServerFlags {
        max_request_bytes: 1024,
        max_response_bytes: 512,
        concurrency: 2,
        timeout: Duration::from_secs(60).into(),
        work: Duration::from_millis(1).into(),
        slow_work: Duration::from_secs(60).into(),
        keepalive: Duration::from_secs(60).into(),
    }
}

fn client_flags() -> ClientFlags {
    ClientFlags {
        max_send_bytes: 2048,
        max_receive_bytes: 4096,
        parallel: 6,
        ping_every: Duration::from_secs(60).into(),
    }
}

async fn start(flags: ServerFlags) -> (RunningServer, InFlight) {
    let calls = InFlight::new();
    let running = RunningServer::start({
        let calls = calls.clone();
        move |listener, shutdown| serve_with(listener, flags, shutdown, calls)
    })
    .await
    .unwrap();
    (running, calls)
}

async fn connect(url: String, flags: &ClientFlags) -> client::Greeter {
    let channel = client::endpoint(url, flags.ping_every.into())
        .unwrap()
        .connect()
        .await
        .unwrap();
    client::client(channel, flags)
}

#[tokio::test]
async fn oversized_messages_fail_the_call_not_the_server() {
    let (running, calls) = start(server_flags()).await;
    let flags = client_flags();
    let greeter = connect(running.url(false), &flags).await;
    let say = |name: String| {
        let greeter = greeter.clone();
        async move { client::say_hello(&greeter, flags.max_send_bytes, &name).await }
    };
    // Request over the server's 1024-byte limit: refused before the handler runs.
    let status = say("b".repeat(1500)).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert_eq!(calls.finished(), 0);
    // Reply over the server's 512-byte limit: the handler ran, its answer was refused.
    let status = say("c".repeat(800)).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    // Over the client's own 2048-byte limit: refused before sending.
    let status = say("d".repeat(3000)).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert_eq!(calls.finished(), 1);
    // Same connection, same server: still serving.
    assert_eq!(say("Jack".into()).await.unwrap(), "Hello, Jack!");
    running.stop().await.unwrap();
}

#[tokio::test]
async fn tonic_names_the_size_error_out_of_range() {
    // Pins the tonic 0.14 behaviour the lesson explains (and `spec_status` renames).
    let (running, _) = start(server_flags()).await;
    let greeter = connect(running.url(false), &client_flags()).await;
    let request = helloworld_proto::v1::SayHelloRequest {
        name: "b".repeat(1500),
    };
    let status = greeter.clone().say_hello(request).await.unwrap_err();
    assert_eq!(status.code(), Code::OutOfRange, "{status:?}");
    running.stop().await.unwrap();
}

#[tokio::test]
async fn the_concurrency_limit_caps_calls_in_progress() {
    let mut flags = server_flags();
    flags.work = Duration::from_millis(30).into();
    let (running, calls) = start(flags).await;
    // Two connections: the limit is per server, not per connection.
    let a = connect(running.url(false), &client_flags()).await;
    let b = connect(running.url(false), &client_flags()).await;
    let (ok_a, ok_b) = tokio::join!(client::in_parallel(&a, 4), client::in_parallel(&b, 4));
    assert_eq!(ok_a + ok_b, 8);
    assert!(calls.peak() <= 2, "peak {}", calls.peak());
    assert_eq!(calls.completed(), 8);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn the_server_timeout_ends_a_slow_call() {
    let mut flags = server_flags();
    flags.timeout = Duration::from_millis(50).into();
    let (running, calls) = start(flags).await;
    let greeter = connect(running.url(false), &client_flags()).await;
    let status = client::say_hello(&greeter, 2048, "slow").await.unwrap_err();
    assert_eq!(
        (status.code(), status.message()),
        (Code::Cancelled, "Timeout expired")
    );
    tokio::time::timeout(BOUND, calls.wait_for(|c| c.abandoned() == 1))
        .await
        .expect("the slow handler was dropped");
    assert_eq!(
        client::say_hello(&greeter, 2048, "Jack").await.unwrap(),
        "Hello, Jack!"
    );
    running.stop().await.unwrap();
}

/// A TCP relay that can "freeze": keep both sockets open but stop forwarding,
/// as a peer does when its machine or a middlebox silently dies.
async fn freezable_relay(target: SocketAddr) -> (SocketAddr, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let frozen = Arc::new(AtomicBool::new(false));
    let flag = frozen.clone();
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let outbound = TcpStream::connect(target).await.unwrap();
            let (ri, wi) = inbound.into_split();
            let (ro, wo) = outbound.into_split();
            tokio::spawn(pump(ri, wo, flag.clone()));
            tokio::spawn(pump(ro, wi, flag.clone()));
        }
    });
    (addr, frozen)
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    frozen: Arc<AtomicBool>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let Ok(n) = from.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            return;
        }
        if frozen.load(Ordering::SeqCst) {
            // Hold both sockets open and forward nothing, forever.
            let _keep = (from, to);
            std::future::pending::<()>().await;
            return;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

#[tokio::test]
async fn keepalive_pings_detect_a_dead_peer_on_both_sides() {
    let mut flags = server_flags();
    flags.keepalive = Duration::from_millis(100).into();
    let (running, calls) = start(flags).await;
    let (relay, frozen) = freezable_relay(running.local_addr()).await;
    let mut client_flags = client_flags();
    client_flags.ping_every = Duration::from_millis(100).into();
    let greeter = connect(format!("http://{relay}"), &client_flags).await;
    let call = tokio::spawn(async move { client::say_hello(&greeter, 2048, "slow").await });
    tokio::time::timeout(BOUND, calls.wait_for(|c| c.current() == 1))
        .await
        .expect("the call reached the server");
    frozen.store(true, Ordering::SeqCst);
    // Without keepalive both sides would wait 60s for the slow call.
    let outcome = tokio::time::timeout(BOUND, call)
        .await
        .expect("the client noticed the dead connection")
        .unwrap();
    assert!(outcome.is_err(), "{outcome:?}");
    tokio::time::timeout(BOUND, calls.wait_for(|c| c.abandoned() == 1))
        .await
        .expect("the server noticed too and dropped the call");
    running.stop().await.unwrap();
}
