//! The tuning lesson over real sockets: every step's server answers the tutorial's
//! call, SO_REUSEPORT spreads connections over the runtimes, the HTTP/2 settings
//! reach the wire, bad values are refused, and SIGTERM drains every runtime.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command};
use std::time::Duration;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use lesson_kit::testing::spawn_listening;
use tuning::server::bind_per_core;

const PATIENCE: Duration = Duration::from_secs(20);

/// Starts `binary server` with `flags` on a free port, logging `listening on`.
fn start(binary: &str, flags: &[&str]) -> (Child, String) {
    let mut command = Command::new(binary);
    command
        .args(["server", "--addr", "127.0.0.1:0"])
        .args(flags)
        .env("RUST_LOG", "info");
    let (child, addr) = spawn_listening(&mut command, PATIENCE).expect("server starts");
    (
        child,
        format!("http://{}", addr.expect("it says where it listens")),
    )
}

/// `connections` clients, one call each at once, every answer the tutorial's.
async fn greet_over(url: &str, connections: usize) {
    let calls = (0..connections).map(|i| {
        let url = url.to_owned();
        tokio::spawn(async move {
            let mut client = GreeterServiceClient::connect(url).await.expect("connects");
            let name = format!("n{i}");
            let reply = client
                .say_hello(SayHelloRequest { name: name.clone() })
                .await;
            assert_eq!(
                reply.expect("answered").into_inner().message,
                format!("Hello, {name}!")
            );
        })
    });
    for call in calls {
        call.await.expect("call task");
    }
}

/// Stops `child` with SIGTERM (graceful: every runtime drains its connections,
/// which needs this test's runtime free to answer GOAWAY) and checks it exits 0.
async fn stop(mut child: Child) {
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let exited = tokio::task::spawn_blocking(move || child.wait().expect("waits"));
    let status = tokio::time::timeout(PATIENCE, exited)
        .await
        .expect("drains in time");
    assert!(status.unwrap().success(), "exits 0 after SIGTERM");
}

#[tokio::test]
async fn every_step_serves_the_tutorial_call() {
    let steps: [&[&str]; 6] = [
        &[],
        &["--per-core", "--threads", "2"],
        &[
            "--stream-window",
            "1048576",
            "--connection-window",
            "8388608",
        ],
        &[
            "--max-frame-size",
            "16777215",
            "--max-concurrent-streams",
            "100",
        ],
        &["--no-nodelay"],
        &["--adaptive-window", "--per-core"],
    ];
    for binary in [
        env!("CARGO_BIN_EXE_tuning"),
        env!("CARGO_BIN_EXE_tuning-mimalloc"),
    ] {
        for flags in steps {
            let (child, url) = start(binary, flags);
            eprintln!("step {flags:?} at {url}");
            greet_over(&url, 8).await;
            stop(child).await;
        }
    }
}

#[test]
fn reuseport_listeners_share_one_port_and_the_kernel_spreads_connections() {
    let listeners = bind_per_core("127.0.0.1:0".parse().unwrap(), 2).expect("binds twice");
    let addr = listeners[0].local_addr().unwrap();
    assert_eq!(listeners[1].local_addr().unwrap(), addr, "one port");
    // 32 connections from 32 source ports: the kernel hashes each to one socket;
    // all on one side would happen with probability 2^-31.
    let _clients: Vec<_> = (0..32).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let accepted = |listener: &TcpListener| std::iter::from_fn(|| listener.accept().ok()).count();
    let (first, second) = (accepted(&listeners[0]), accepted(&listeners[1]));
    assert_eq!(first + second, 32, "every connection lands on one of them");
    assert!(first > 0 && second > 0, "spread: {first} and {second}");
}

#[tokio::test]
async fn max_concurrent_streams_reaches_the_wire() {
    let (child, url) = start(
        env!("CARGO_BIN_EXE_tuning"),
        &["--per-core", "--max-concurrent-streams", "7"],
    );
    let tcp = tokio::net::TcpStream::connect(url.trim_start_matches("http://"))
        .await
        .unwrap();
    let (send, connection) = h2::client::handshake(tcp).await.expect("HTTP/2 handshake");
    let mut connection = Box::pin(connection);
    // The server's SETTINGS arrive with its first frames; poll until h2 has read them.
    let limit = tokio::time::timeout(
        PATIENCE,
        std::future::poll_fn(|cx| {
            let _ = connection.as_mut().poll(cx);
            match connection.max_concurrent_send_streams() {
                7 => std::task::Poll::Ready(7),
                _ => std::task::Poll::Pending,
            }
        }),
    )
    .await
    .expect("the server's SETTINGS arrive");
    assert_eq!(limit, 7);
    drop((send, connection));
    stop(child).await;
}

#[test]
fn out_of_range_settings_are_refused_before_any_socket_opens() {
    for (flag, value) in [
        ("--max-frame-size", "100"),
        ("--stream-window", "0"),
        ("--max-concurrent-streams", "0"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_tuning"))
            .args(["server", "--addr", "127.0.0.1:0", flag, value])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{flag} {value}: a usage error"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("invalid value '{value}' for '{flag}")),
            "{stderr}"
        );
    }
}
