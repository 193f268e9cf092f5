//! The sync unary lesson over real sockets: the tutorial's lines (printed by the
//! real binary), and a worker pool that holds its limit.

use std::time::{Duration, Instant};

use lesson_kit::RunningServer;
use lesson_kit::testing::run_binary;
use sync_kit::{WorkerPool, run_blocking};
use sync_unary::{Greeter, client};
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

const BINARY: &str = env!("CARGO_BIN_EXE_sync-unary");

/// The listed greeter on `pool`, which the test keeps a clone of to count workers.
async fn start(pool: &WorkerPool, work_delay: Duration) -> RunningServer {
    let greeter = Greeter {
        pool: pool.clone(),
        work_delay,
    };
    RunningServer::start(move |listener, shutdown| async move {
        Server::builder()
            .add_service(
                helloworld_proto::v1::greeter_service_server::GreeterServiceServer::new(greeter),
            )
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown.wait())
            .await?;
        Ok(())
    })
    .await
    .expect("server starts")
}

/// The demo's lines without the server's start-up line, which must be there once
/// (the server's task and the client's thread start together, so it may come
/// before or after the client's first line).
fn client_lines_of_demo(lines: &[String]) -> Vec<String> {
    let (started, client): (Vec<_>, Vec<_>) = lines
        .iter()
        .cloned()
        .partition(|line| line.starts_with("Server started, listening on "));
    assert_eq!(started.len(), 1, "{lines:?}");
    let port = started[0]
        .rsplit(' ')
        .next()
        .and_then(|p| p.parse::<u16>().ok());
    assert!(port.is_some_and(|port| port != 0), "{lines:?}");
    client
}

#[tokio::test]
async fn the_demo_prints_the_tutorial_lines() {
    let demo = run_binary(BINARY, ["--name", "Jack"]).await;
    assert!(demo.success, "{}", demo.stderr);
    assert_eq!(
        client_lines_of_demo(&demo.lines),
        [
            "Will try to greet world ...",
            "Greeter client received: Hello, Jack!"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_prints_the_tutorial_lines_and_the_server_counts_one_call() {
    let pool = WorkerPool::new(10);
    let server = start(&pool, Duration::ZERO).await;
    let url = server.url(false);
    let client = run_binary(BINARY, ["client", "--addr", &url, "--name", "世界"]).await;
    assert!(client.success, "{}", client.stderr);
    assert_eq!(
        client.lines,
        [
            "Will try to greet world ...",
            "Greeter client received: Hello, 世界!"
        ]
    );
    server.stop().await.expect("graceful stop");
    assert_eq!((pool.peak_busy(), pool.finished()), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_concurrent_calls_share_three_workers() {
    let pool = WorkerPool::new(3);
    let work = Duration::from_millis(100);
    let server = start(&pool, work).await;
    let url = server.url(false);
    let started = Instant::now();
    run_blocking(move || client::run_concurrent(&url, "Jack", 10))
        .await
        .expect("every call succeeds");
    let elapsed = started.elapsed();
    server.stop().await.expect("graceful stop");

    assert_eq!(
        pool.peak_busy(),
        3,
        "the pool reaches its limit and never exceeds it"
    );
    assert_eq!((pool.busy(), pool.finished()), (0, 10));
    // 10 calls on 3 workers take at least 4 rounds of work.
    assert!(elapsed >= work * 4, "{elapsed:?}");
}

/// The unary page's run: 25 calls on `workers` workers, each working `work`.
/// Returns the pool's peak and the run's wall time.
async fn twenty_five_calls(workers: usize, work: Duration) -> (usize, Duration) {
    let pool = WorkerPool::new(workers);
    let server = start(&pool, work).await;
    let url = server.url(false);
    let started = Instant::now();
    run_blocking(move || client::run_concurrent(&url, "Jack", 25))
        .await
        .expect("every call succeeds");
    let elapsed = started.elapsed();
    server.stop().await.expect("graceful stop");
    assert_eq!((pool.busy(), pool.finished()), (0, 25));
    (pool.peak_busy(), elapsed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_five_calls_on_ten_workers_take_three_rounds() {
    let work = Duration::from_millis(100);
    let (peak, elapsed) = twenty_five_calls(10, work).await;
    // Never more than 10 at once, so 25 calls need three rounds (10, 10, 5).
    assert_eq!(peak, 10);
    assert!(elapsed >= work * 3, "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_five_workers_take_twenty_five_calls_in_one_round() {
    let (peak, _) = twenty_five_calls(25, Duration::from_millis(500)).await;
    // All 25 were working at the same moment: one round.
    assert_eq!(peak, 25);
}

#[tokio::test]
async fn the_summary_line_shows_the_worker_limit() {
    let args = [
        "--max-workers",
        "2",
        "--work-delay",
        "50ms",
        "--concurrent",
        "5",
    ];
    let demo = run_binary(BINARY, args).await;
    assert!(demo.success, "{}", demo.stderr);
    let lines = client_lines_of_demo(&demo.lines);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], "Will try to greet world ...");
    let seconds: f64 = lines[1]
        .strip_prefix("Greeter client received 5 replies in ")
        .and_then(|rest| rest.strip_suffix('s'))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("summary line: {}", lines[1]));
    // 5 calls on 2 workers: at least 3 rounds of 50 ms.
    assert!(seconds >= 0.15, "{seconds}");
}
