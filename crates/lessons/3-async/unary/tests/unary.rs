//! The async unary lesson over real sockets: the tutorial's line, counted
//! concurrency, odd names, bad input and graceful shutdown.

use std::sync::Arc;
use std::time::Duration;

use async_unary::{AsyncUnary, ClientFlags, Greeter, call_at_once, serve_with};
use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use lesson_kit::{Console, Lesson, RunningServer};
use tokio::sync::Barrier;
use tokio::time::timeout;

/// Generous bound for waits that should end at once; a hang fails instead of blocking CI.
const PATIENCE: Duration = Duration::from_secs(10);

async fn start(greeter: Greeter) -> RunningServer {
    RunningServer::start(|listener, shutdown| serve_with(listener, greeter, shutdown))
        .await
        .expect("server starts")
}

fn flags(name: &str, concurrent: u32) -> ClientFlags {
    ClientFlags {
        name: name.into(),
        concurrent,
    }
}

#[tokio::test]
async fn prints_the_tutorial_line() {
    let server = start(Greeter::default()).await;
    let console = Console::capture();
    AsyncUnary::client(server.url(false), flags("jack", 1), console.clone())
        .await
        .unwrap();
    assert_eq!(console.lines(), ["Greeter client received: Hello, jack!"]);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn unicode_empty_and_one_mebibyte_names_round_trip() {
    let server = start(Greeter::default()).await;
    let big = "名".repeat(1024 * 1024 / 3);
    for name in ["世界", "", big.as_str()] {
        let console = Console::capture();
        AsyncUnary::client(server.url(false), flags(name, 1), console.clone())
            .await
            .unwrap();
        assert_eq!(
            console.lines(),
            [format!("Greeter client received: Hello, {name}!")]
        );
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_oversized_name_is_a_clear_status_and_the_server_survives() {
    let server = start(Greeter::default()).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_slow_calls_are_all_in_progress_at_once() {
    const CALLS: u32 = 100;
    // The barrier opens only when all 100 handlers have counted themselves in.
    let greeter = Greeter::new(Duration::from_millis(1))
        .with_rendezvous(Arc::new(Barrier::new(CALLS as usize)));
    let gauge = greeter.in_flight();
    let server = start(greeter).await;

    let client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let burst = timeout(PATIENCE, call_at_once(client, "jack", CALLS))
        .await
        .expect("all 100 calls met at the barrier")
        .unwrap();

    assert_eq!(gauge.peak(), 100);
    assert_eq!((gauge.current(), gauge.finished()), (0, 100));
    assert_eq!(burst.server_peak, Some(100));
    let console = Console::capture();
    burst.print(&console);
    let lines = console.lines();
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
    let server = start(Greeter::default()).await;
    let console = Console::capture();
    AsyncUnary::client(server.url(false), flags("jack", 3), console.clone())
        .await
        .unwrap();
    let lines = console.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "Greeter client received: Hello, jack! (x3)");
    assert!(lines[1].starts_with("Server had at most "), "{lines:?}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn shutdown_lets_the_call_in_progress_finish_and_refuses_new_ones() {
    // The handler and this test meet at the barrier, so the test knows the call
    // is inside the handler; the handler then works for 200 ms. The test asks
    // for shutdown before the handler even resumes (one runtime thread).
    let arrived = Arc::new(Barrier::new(2));
    let greeter = Greeter::new(Duration::from_millis(200)).with_rendezvous(arrived.clone());
    let gauge = greeter.in_flight();
    let server = start(greeter).await;
    let addr = server.local_addr();

    let console = Console::capture();
    let call = tokio::spawn(AsyncUnary::client(
        server.url(false),
        flags("jack", 1),
        console.clone(),
    ));
    timeout(PATIENCE, arrived.wait())
        .await
        .expect("the call reached the handler");
    assert_eq!(gauge.current(), 1);

    timeout(PATIENCE, server.stop())
        .await
        .expect("the server drained")
        .expect("graceful stop");
    timeout(PATIENCE, call).await.unwrap().unwrap().unwrap();
    assert_eq!(console.lines(), ["Greeter client received: Hello, jack!"]);
    assert_eq!((gauge.current(), gauge.finished()), (0, 1));

    let refused = tokio::net::TcpStream::connect(addr).await.unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[test]
fn flags_read_durations_and_bound_the_burst() {
    use clap::Parser;
    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        server: async_unary::ServerFlags,
        #[command(flatten)]
        client: ClientFlags,
    }
    let cli = Cli::try_parse_from(["x", "--work-delay", "50ms"]).unwrap();
    assert_eq!(cli.server.work_delay, Duration::from_millis(50));
    assert_eq!(
        (cli.client.name.as_str(), cli.client.concurrent),
        ("jack", 1)
    );
    for bad in [
        ["--work-delay", "soon"],
        ["--concurrent", "0"],
        ["--concurrent", "1001"],
    ] {
        let args = ["x"].into_iter().chain(bad);
        assert!(Cli::try_parse_from(args).is_err(), "{bad:?}");
    }
}
