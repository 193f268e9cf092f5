//! Shutdown with calls in flight: everything sent arrives, new connections are refused,
//! a grace period bounds the drain, and the real binary does it all on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use graceful_shutdown::client::{Received, calls_in_flight};
use graceful_shutdown::{Counters, Ending, ServerFlags, serve_with};
use lesson_kit::{Console, RunningServer};
use tonic::transport::{Channel, Endpoint};

const BOUND: Duration = Duration::from_secs(10);

fn flags(work_ms: u64, every_ms: u64, messages: usize, grace_ms: u64) -> ServerFlags {
    ServerFlags {
        work: Duration::from_millis(work_ms).into(),
        every: Duration::from_millis(every_ms).into(),
        messages,
        grace: Duration::from_millis(grace_ms).into(),
        stop_after: None,
    }
}

/// Starts the server; the ending lands in the returned slot when it stops.
async fn start(flags: ServerFlags) -> (RunningServer, Counters, Arc<Mutex<Option<Ending>>>) {
    let counters = Counters::default();
    let ending = Arc::new(Mutex::new(None));
    let running = RunningServer::start({
        let (counters, ending) = (counters.clone(), ending.clone());
        move |listener, shutdown| async move {
            let end = serve_with(listener, flags, Console::capture(), shutdown, counters).await?;
            *ending.lock().unwrap() = Some(end);
            Ok(())
        }
    })
    .await
    .unwrap();
    (running, counters, ending)
}

async fn connect(url: &str) -> Channel {
    Endpoint::from_shared(url.to_owned())
        .unwrap()
        .connect()
        .await
        .unwrap()
}

#[tokio::test]
async fn in_flight_calls_finish_nothing_is_lost_and_new_connections_are_refused() {
    let (running, counters, ending) = start(flags(500, 25, 20, 30_000)).await;
    let url = running.url(false);
    let channel = connect(&url).await;
    let calls = tokio::spawn(calls_in_flight(channel, 10, 3));
    tokio::time::timeout(BOUND, counters.calls.wait_for(|c| c.current() == 13))
        .await
        .expect("all 13 calls reached the server");

    let stopping = tokio::spawn(running.stop());
    // The listener closes at once; the calls are still running (500ms of work).
    tokio::time::timeout(BOUND, async {
        while Endpoint::from_shared(url.clone())
            .unwrap()
            .connect()
            .await
            .is_ok()
        {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("new connections are refused");
    assert!(
        counters.calls.current() > 0,
        "checked while calls were in flight"
    );

    let received = tokio::time::timeout(BOUND, calls).await.unwrap().unwrap();
    assert_eq!(
        received,
        Received {
            unary_ok: 10,
            streamed: 60,
            streams_ok: 3
        }
    );
    assert_eq!(
        counters.streamed(),
        60,
        "the server sent exactly what arrived"
    );
    tokio::time::timeout(BOUND, stopping)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        (counters.calls.completed(), counters.calls.abandoned()),
        (13, 0)
    );
    assert_eq!(*ending.lock().unwrap(), Some(Ending::Drained));
}

#[tokio::test]
async fn the_grace_period_bounds_a_stream_that_would_never_end() {
    let (running, counters, ending) = start(flags(1, 5, usize::MAX, 100)).await;
    let channel = connect(&running.url(false)).await;
    let calls = tokio::spawn(calls_in_flight(channel, 0, 1));
    tokio::time::timeout(BOUND, counters.calls.wait_for(|c| c.current() == 1))
        .await
        .unwrap();
    tokio::time::timeout(BOUND, running.stop())
        .await
        .expect("shutdown ends after the grace period")
        .unwrap();
    assert_eq!(*ending.lock().unwrap(), Some(Ending::GraceExpired));
    calls.abort();
}

/// The real binary, a real SIGTERM: calls in flight finish, then the process exits 0.
/// (Multi-threaded: the test reads the server's output with blocking reads.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_the_real_server() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_graceful-shutdown"))
        .args([
            "server",
            "--addr",
            "127.0.0.1:0",
            "--work",
            "400ms",
            "--every",
            "20ms",
        ])
        .args(["--messages", "10"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // lesson-kit logs "listening on ADDR" to stderr.
    let mut stderr = BufReader::new(server.stderr.take().unwrap());
    let addr = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "server exited early"
        );
        if let Some((_, rest)) = line.split_once("listening on ") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let channel = connect(&format!("http://{addr}")).await;
    let calls = tokio::spawn(calls_in_flight(channel, 3, 1));
    // Wait until the server printed that it works on all three unary calls.
    let mut working = 0;
    while working < 3 {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "server exited early"
        );
        working += usize::from(line.starts_with("server: working for"));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let received = tokio::time::timeout(BOUND, calls).await.unwrap().unwrap();
    assert_eq!(
        received,
        Received {
            unary_ok: 3,
            streamed: 10,
            streams_ok: 1
        }
    );
    let pid = server.id().to_string();
    let exited =
        tokio::time::timeout(BOUND, tokio::task::spawn_blocking(move || server.wait())).await;
    let Ok(status) = exited else {
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
        panic!("the server did not exit after SIGTERM");
    };
    let status = status.unwrap().unwrap();
    assert!(status.success(), "{status:?}");
    let rest: Vec<String> = stdout.lines().map(Result::unwrap).collect();
    // The page's by-hand run: three unary calls and the stream are in flight.
    assert!(
        rest.iter()
            .any(|l| l == "server: shutting down, 4 calls in flight"),
        "{rest:?}"
    );
    assert!(
        rest.iter()
            .any(|l| l.starts_with("server: Drained: 4 calls completed, 0 cut")),
        "{rest:?}"
    );
}

/// A SIGTERM the moment the server says it listens is a graceful stop, not signal
/// 15's default kill: lesson-kit installs its handlers before it binds. Twenty
/// times, as the race it guards against is short.
#[test]
fn sigterm_right_after_listening_is_graceful() {
    for attempt in 0..20 {
        let mut server = Command::new(env!("CARGO_BIN_EXE_graceful-shutdown"))
            .args(["server", "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(server.stderr.take().unwrap());
        loop {
            let mut line = String::new();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "server exited early"
            );
            if line.contains("listening on ") {
                break;
            }
        }
        let pid = server.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let status = server.wait().unwrap();
        assert!(status.success(), "attempt {attempt}: {status:?}");
    }
}
