//! The sync server-streaming lesson over real sockets: the tutorial's lines
//! (printed by the real binary), and a worker that is held for the stream and
//! then given back.

use std::time::{Duration, Instant};

use helloworld_proto::v2::greeter_service_server::GreeterServiceServer;
use lesson_kit::RunningServer;
use lesson_kit::testing::run_binary;
use sync_kit::WorkerPool;
use sync_server_streaming::Greeter;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

const BINARY: &str = env!("CARGO_BIN_EXE_sync-server-streaming");

/// The listed greeter on `pool`, which the test keeps a clone of to count workers.
async fn start(pool: &WorkerPool) -> RunningServer {
    let greeter = Greeter { pool: pool.clone() };
    RunningServer::start(move |listener, shutdown| async move {
        Server::builder()
            .add_service(GreeterServiceServer::new(greeter))
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown.wait())
            .await?;
        Ok(())
    })
    .await
    .expect("server starts")
}

fn greetings(name: &str) -> Vec<String> {
    let mut lines = vec!["Will try to greet world ...".to_owned()];
    lines.extend((0..5).map(|i| format!("Greeter client received: Hello number {i}, {name}!")));
    lines
}

#[tokio::test]
async fn the_demo_prints_the_tutorial_lines() {
    let demo = run_binary(BINARY, ["--name", "Jack"]).await;
    assert!(demo.success, "{}", demo.stderr);
    // The server's task and the client's thread start together: the start-up
    // line comes once, before or after the client's first line.
    let (started, client): (Vec<_>, Vec<_>) = demo
        .lines
        .iter()
        .cloned()
        .partition(|line| line.starts_with("Server started, listening on "));
    assert_eq!(started.len(), 1, "{:?}", demo.lines);
    assert_eq!(client, greetings("Jack"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_worker_serves_streams_one_after_another() {
    let pool = WorkerPool::new(1);
    let server = start(&pool).await;
    let url = server.url(false);
    for name in ["Ann", "Bob", "Cy"] {
        let client = run_binary(BINARY, ["client", "--addr", &url, "--name", name]).await;
        assert!(client.success, "{}", client.stderr);
        assert_eq!(client.lines, greetings(name));
    }
    // The worker was given back after each stream, or the 2nd call would hang;
    // the last one is given back just after its client saw the end.
    let deadline = Instant::now() + Duration::from_secs(5);
    while pool.finished() < 3 {
        assert!(Instant::now() < deadline, "the last worker was never freed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!((pool.peak_busy(), pool.busy()), (1, 0));
    server.stop().await.expect("graceful stop");
}
