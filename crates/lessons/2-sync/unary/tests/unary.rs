//! The sync unary lesson over real sockets: the tutorial's lines, and a worker
//! pool that holds its limit.

use std::time::{Duration, Instant};

use lesson_kit::{Console, InFlight, Lesson, RunningServer};
use sync_unary::{ClientFlags, ServerFlags, SyncUnary, serve};

fn server_flags(max_workers: usize, work_delay: Duration, busy: &InFlight) -> ServerFlags {
    ServerFlags {
        max_workers,
        work_delay,
        busy: busy.clone(),
    }
}

async fn start(flags: ServerFlags, console: &Console) -> RunningServer {
    let console = console.clone();
    RunningServer::start(move |listener, shutdown| serve(listener, flags, console, shutdown))
        .await
        .expect("server starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_the_tutorial_lines() {
    let busy = InFlight::new();
    let (server_out, client_out) = (Console::capture(), Console::capture());
    let server = start(server_flags(10, Duration::ZERO, &busy), &server_out).await;
    let flags = ClientFlags {
        name: "Jack".into(),
        name_file: None,
        concurrent: 1,
    };
    SyncUnary::client(server.url(false), flags, client_out.clone())
        .await
        .expect("the call succeeds");
    let port = server.local_addr().port();
    server.stop().await.expect("graceful stop");

    assert_eq!(
        server_out.lines(),
        [format!("Server started, listening on {port}")]
    );
    assert_eq!(
        client_out.lines(),
        [
            "Will try to greet world ...",
            "Greeter client received: Hello, Jack!"
        ]
    );
    assert_eq!((busy.peak(), busy.finished()), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_concurrent_calls_share_three_workers() {
    let busy = InFlight::new();
    let work = Duration::from_millis(100);
    let (server_out, client_out) = (Console::capture(), Console::capture());
    let server = start(server_flags(3, work, &busy), &server_out).await;
    let flags = ClientFlags {
        name: "Jack".into(),
        name_file: None,
        concurrent: 10,
    };
    let started = Instant::now();
    SyncUnary::client(server.url(false), flags, client_out.clone())
        .await
        .expect("every call succeeds");
    let elapsed = started.elapsed();
    server.stop().await.expect("graceful stop");

    assert_eq!(
        busy.peak(),
        3,
        "the pool reaches its limit and never exceeds it"
    );
    assert_eq!((busy.current(), busy.finished()), (0, 10));
    // 10 calls on 3 workers take at least 4 rounds of work.
    assert!(elapsed >= work * 4, "{elapsed:?}");
    let lines = client_out.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], "Will try to greet world ...");
    let summary = lines[1]
        .strip_prefix("Greeter client received 10 replies in ")
        .and_then(|rest| rest.strip_suffix('s'))
        .unwrap_or_else(|| panic!("summary line: {}", lines[1]));
    let seconds: f64 = summary.parse().expect("seconds");
    assert!(seconds >= 0.4, "{seconds}");
}

#[test]
fn the_command_line_rejects_zero_calls_and_parses_durations() {
    let command = lesson_kit::cli::command::<ServerFlags, ClientFlags>("sync-unary", "test");
    command.clone().debug_assert();
    assert!(
        command
            .clone()
            .try_get_matches_from(["sync-unary", "client", "--concurrent", "0"])
            .is_err()
    );
    assert!(
        command
            .clone()
            .try_get_matches_from(["sync-unary", "server", "--work-delay", "soon"])
            .is_err()
    );
    assert!(
        command
            .try_get_matches_from(["sync-unary", "server", "--work-delay", "50ms"])
            .is_ok()
    );
}
