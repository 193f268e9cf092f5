//! The sync server-streaming lesson over real sockets: the tutorial's lines, and
//! a worker that is held for the stream and then given back.

use std::time::{Duration, Instant};

use lesson_kit::{Console, InFlight, Lesson, RunningServer};
use sync_server_streaming::{ClientFlags, ServerFlags, SyncServerStreaming, serve};

async fn start(max_workers: usize, busy: &InFlight, console: &Console) -> RunningServer {
    let flags = ServerFlags {
        max_workers,
        busy: busy.clone(),
    };
    let console = console.clone();
    RunningServer::start(move |listener, shutdown| serve(listener, flags, console, shutdown))
        .await
        .expect("server starts")
}

async fn greet(server: &RunningServer, name: &str) -> Vec<String> {
    let console = Console::capture();
    let flags = ClientFlags { name: name.into() };
    SyncServerStreaming::client(server.url(false), flags, console.clone())
        .await
        .expect("the call succeeds");
    console.lines()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_the_tutorial_lines() {
    let busy = InFlight::new();
    let server_out = Console::capture();
    let server = start(10, &busy, &server_out).await;
    let client_lines = greet(&server, "Jack").await;
    let port = server.local_addr().port();
    server.stop().await.expect("graceful stop");

    assert_eq!(
        server_out.lines(),
        [format!("Server started, listening on {port}")]
    );
    assert_eq!(
        client_lines,
        [
            "Will try to greet world ...",
            "Greeter client received: Hello number 0, Jack!",
            "Greeter client received: Hello number 1, Jack!",
            "Greeter client received: Hello number 2, Jack!",
            "Greeter client received: Hello number 3, Jack!",
            "Greeter client received: Hello number 4, Jack!",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_worker_serves_streams_one_after_another() {
    let busy = InFlight::new();
    let server = start(1, &busy, &Console::capture()).await;
    for name in ["Ann", "Bob", "Cy"] {
        let lines = greet(&server, name).await;
        assert_eq!(
            lines.last().map(String::as_str),
            Some(format!("Greeter client received: Hello number 4, {name}!").as_str())
        );
    }
    // The worker was given back after each stream, or the 2nd call would hang;
    // the last one is given back just after its client saw the end.
    let deadline = Instant::now() + Duration::from_secs(5);
    while busy.finished() < 3 {
        assert!(Instant::now() < deadline, "the last worker was never freed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!((busy.peak(), busy.current()), (1, 0));
    server.stop().await.expect("graceful stop");
}
