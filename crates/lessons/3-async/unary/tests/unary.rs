//! The async unary lesson over real sockets: the tutorial's line (printed by the
//! real binary), counted concurrency, odd names, bad input and graceful shutdown.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use async_unary::{IN_FLIGHT_HEADER, call_at_once, counted, server};
use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use lesson_kit::{InFlight, InFlightLayer, RunningServer};
use tokio::sync::Barrier;
use tokio::time::timeout;

/// Generous bound for waits that should end at once; a hang fails instead of blocking CI.
const PATIENCE: Duration = Duration::from_secs(10);

/// The listed server, as a reader's `main` would run it.
async fn start_listed(work_delay: Duration) -> RunningServer {
    RunningServer::start(move |listener, shutdown| async move {
        server::serve(listener, work_delay, shutdown.wait()).await?;
        Ok(())
    })
    .await
    .expect("server starts")
}

/// The listed greeter behind the counting layer, as the binary runs it.
async fn start_counted(work_delay: Duration, layer: InFlightLayer) -> RunningServer {
    RunningServer::start(move |listener, shutdown| {
        counted::serve(listener, work_delay, layer, shutdown.wait())
    })
    .await
    .expect("server starts")
}

/// Runs the lesson binary with `args`; returns (exit success, stdout lines).
async fn lesson(args: Vec<String>) -> (bool, Vec<String>) {
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_async-unary"))
            .args(args)
            .output()
            .expect("the binary runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    (
        output.status.success(),
        stdout.lines().map(str::to_owned).collect(),
    )
}

fn client_args(server: &RunningServer, extra: &[&str]) -> Vec<String> {
    ["client", "--addr", &server.url(false)]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
}

#[tokio::test]
async fn the_client_prints_the_tutorial_line() {
    let server = start_listed(Duration::ZERO).await;
    for name in ["jack", "世界", ""] {
        let (ok, lines) = lesson(client_args(&server, &["--name", name])).await;
        assert!(ok);
        assert_eq!(lines, [format!("Greeter client received: Hello, {name}!")]);
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_one_mebibyte_name_round_trips() {
    let server = start_listed(Duration::ZERO).await;
    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let big = "名".repeat(1024 * 1024 / 3);
    let reply = client
        .say_hello(SayHelloRequest { name: big.clone() })
        .await
        .unwrap();
    assert_eq!(reply.into_inner().message, format!("Hello, {big}!"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_oversized_name_is_a_clear_status_and_the_server_survives() {
    let server = start_listed(Duration::ZERO).await;
    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let status = client
        .say_hello(SayHelloRequest {
            name: "x".repeat(5 * 1024 * 1024),
        })
        .await
        .unwrap_err();
    // tonic says OUT_OF_RANGE where grpcio says RESOURCE_EXHAUSTED; both are clear.
    assert_eq!(status.code(), tonic::Code::OutOfRange, "{status}");
    assert!(status.message().contains("too large"), "{status}");
    let reply = client
        .say_hello(SayHelloRequest { name: "ok".into() })
        .await
        .unwrap();
    assert_eq!(reply.into_inner().message, "Hello, ok!");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_servers_limit_is_exactly_4_mib_per_message() {
    let server = start_listed(Duration::ZERO).await;
    // The reply is 8 bytes longer than the request: let this client take it.
    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap()
        .max_decoding_message_size(usize::MAX);
    // Field tag (1 byte) + length varint (4 bytes for these sizes) + the name.
    let name_for = |message_len: usize| "x".repeat(message_len - 5);
    let limit = 4 * 1024 * 1024;
    let at_limit = SayHelloRequest {
        name: name_for(limit),
    };
    client.say_hello(at_limit).await.expect("4 MiB is allowed");
    let status = client
        .say_hello(SayHelloRequest {
            name: name_for(limit + 1),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::OutOfRange, "{status}");
    assert!(
        status
            .message()
            .contains("found 4194305 bytes, the limit is: 4194304 bytes"),
        "{status}"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_slow_calls_are_all_in_progress_at_once() {
    const CALLS: u32 = 100;
    // The barrier opens only when all 100 calls have counted themselves in.
    let gauge = InFlight::new();
    let layer = InFlightLayer::new(gauge.clone())
        .with_rendezvous(Arc::new(Barrier::new(CALLS as usize)))
        .with_header(IN_FLIGHT_HEADER);
    let server = start_counted(Duration::from_millis(1), layer).await;

    let client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let burst = timeout(PATIENCE, call_at_once(client, "jack", CALLS))
        .await
        .expect("all 100 calls met at the barrier")
        .unwrap();

    assert_eq!(gauge.peak(), 100);
    // A call counts until the server has dropped its response body, which may be
    // just after the client has read the trailers.
    timeout(PATIENCE, gauge.wait_for(|g| g.finished() == 100))
        .await
        .expect("every call finished");
    assert_eq!(gauge.current(), 0);
    assert_eq!(burst.server_peak, Some(100));
    let lines = burst.lines();
    assert_eq!(
        lines[..2],
        [
            "Greeter client received: Hello, jack! (x100)",
            "Server had at most 100 calls in progress at once",
        ]
    );
    assert!(lines[2].starts_with("100 calls took "), "{lines:?}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_concurrent_flag_prints_a_summary() {
    let layer = InFlightLayer::new(InFlight::new()).with_header(IN_FLIGHT_HEADER);
    let server = start_counted(Duration::ZERO, layer).await;
    let (ok, lines) = lesson(client_args(&server, &["--concurrent", "3"])).await;
    assert!(ok);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "Greeter client received: Hello, jack! (x3)");
    assert!(lines[1].starts_with("Server had at most "), "{lines:?}");
    server.stop().await.unwrap();

    // The listed server sends no count, and the client says so.
    let server = start_listed(Duration::ZERO).await;
    let (ok, lines) = lesson(client_args(&server, &["--concurrent", "3"])).await;
    assert!(ok);
    assert_eq!(
        lines[1],
        "Server did not report how many calls it had in progress"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn shutdown_lets_the_call_in_progress_finish_and_refuses_new_ones() {
    // The call and this test meet at the barrier, so the test knows the call is
    // in progress; the handler then works for 200 ms. The test asks for shutdown
    // before the handler even resumes (one runtime thread).
    let arrived = Arc::new(Barrier::new(2));
    let gauge = InFlight::new();
    let layer = InFlightLayer::new(gauge.clone()).with_rendezvous(arrived.clone());
    let server = start_counted(Duration::from_millis(200), layer).await;
    let addr = server.local_addr();

    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let call = tokio::spawn(async move {
        client
            .say_hello(SayHelloRequest {
                name: "jack".into(),
            })
            .await
    });
    timeout(PATIENCE, arrived.wait())
        .await
        .expect("the call reached the server");
    assert_eq!(gauge.current(), 1);

    timeout(PATIENCE, server.stop())
        .await
        .expect("the server drained")
        .expect("graceful stop");
    let reply = timeout(PATIENCE, call).await.unwrap().unwrap().unwrap();
    assert_eq!(reply.into_inner().message, "Hello, jack!");
    assert_eq!((gauge.current(), gauge.completed()), (0, 1));

    let refused = tokio::net::TcpStream::connect(addr).await.unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[tokio::test]
async fn bad_flags_are_refused() {
    for bad in [
        ["server", "--work-delay", "soon"],
        ["client", "--concurrent", "0"],
        ["client", "--concurrent", "1001"],
    ] {
        let (ok, _) = lesson(bad.iter().map(|s| s.to_string()).collect()).await;
        assert!(!ok, "{bad:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reports_what_a_waiting_call_costs() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    // The server binary itself, so its heap holds only the server side. It binds
    // port 0 and says which port it got (`spawn_listening`): no port is
    // released here and handed over, which another test could take in between.
    let mut command = Command::new(env!("CARGO_BIN_EXE_async-unary"));
    command
        .args(["server", "--addr", "127.0.0.1:0"])
        .args(["--work-delay", "30s", "--report-memory-at", "200"])
        .stdout(Stdio::piped());
    let (mut server, addr) = tokio::task::spawn_blocking(move || {
        lesson_kit::testing::spawn_listening(&mut command, PATIENCE)
    })
    .await
    .unwrap()
    .unwrap();
    let addr = addr.expect("the server says where it listens");
    let client = GreeterServiceClient::connect(format!("http://{addr}"))
        .await
        .expect("the server listens");
    // 200 calls wait 30 s each; the report comes once all 200 are in progress.
    let burst = tokio::spawn(call_at_once(client, "jack", 200));
    let stdout = server.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout).lines().next().unwrap().unwrap()
    });
    let line = timeout(PATIENCE, line).await.expect("a report").unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    burst.abort();

    let per_call: u64 = line
        .strip_suffix(" bytes per waiting call")
        .and_then(|rest| rest.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected report: {line}"));
    assert!(line.starts_with("Memory: heap grew "), "{line}");
    assert!(line.contains("to 200 waiting"), "{line}");
    // A waiting call is neither free nor a thread (a thread's stack is 2 MiB): the
    // page's "2 to 16 KiB" (10.6 KiB seen on a loaded 2-core machine), pinned.
    assert!((2 * 1024..16 * 1024).contains(&per_call), "{line}");
}
