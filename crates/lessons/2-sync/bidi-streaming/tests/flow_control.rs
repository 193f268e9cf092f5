//! The flow-control experiment over real sockets, delays scaled down: the
//! tutorial's lines, back-pressure exactly where HTTP/2 puts it, nothing lost,
//! and no worker left behind by a client that walks away.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use lesson_kit::{Console, InFlight, Lesson, RunningServer};
use sync_bidi_streaming::{ClientFlags, ServerFlags, SyncBidiStreaming, WINDOW, requests, serve};
use sync_kit::{BlockingChannel, run_blocking};
use tonic::transport::Endpoint;

fn server_flags(busy: &InFlight, read: &Arc<AtomicUsize>) -> ServerFlags {
    ServerFlags {
        max_workers: 10,
        initial_delay: Duration::from_millis(300),
        work_delay: Duration::from_millis(5),
        busy: busy.clone(),
        requests_read: read.clone(),
    }
}

const TUTORIAL: ClientFlags = ClientFlags {
    requests: 25,
    size: 4000,
};

async fn start(flags: ServerFlags, console: &Console) -> RunningServer {
    let console = console.clone();
    RunningServer::start(move |listener, shutdown| serve(listener, flags, console, shutdown))
        .await
        .expect("server starts")
}

/// The text after the tutorial's `HH:MM:SS.ffffff   ` stamp, if `line` has one.
fn unstamp(line: &str) -> Option<&str> {
    let (stamp, text) = (line.get(..15)?, line.get(15..)?.strip_prefix("   ")?);
    let shape = stamp.bytes().enumerate().all(|(i, b)| match i {
        2 | 5 => b == b':',
        8 => b == b'.',
        _ => b.is_ascii_digit(),
    });
    shape.then_some(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_the_tutorial_lines() {
    let (busy, read) = (InFlight::new(), Arc::new(AtomicUsize::new(0)));
    let (server_out, client_out) = (Console::capture(), Console::capture());
    let server = start(server_flags(&busy, &read), &server_out).await;
    SyncBidiStreaming::client(server.url(false), TUTORIAL, client_out.clone())
        .await
        .expect("the call succeeds");
    let port = server.local_addr().port();
    server.stop().await.expect("graceful stop");

    let mut expected = vec![format!("Server started, listening on {port}")];
    for i in (5..=25).step_by(5) {
        expected.push(format!(
            "Request {i}:   Received {} char in total",
            4000 * i
        ));
        expected.push(format!("Request {i}:   Sent {} char in total", 5 * i));
        expected.push(String::new());
    }
    let server_lines: Vec<String> = server_out
        .lines()
        .iter()
        .map(|line| unstamp(line).unwrap_or(line).to_owned())
        .collect();
    assert_eq!(server_lines, expected);

    // The client's two kinds of lines interleave as timing decides, each with
    // its blank line where Python's `\n` puts it.
    let lines = client_out.lines();
    assert_eq!(lines[0], "Will try to greet world ...");
    let (mut sent, mut received, mut rest) = (Vec::new(), Vec::new(), &lines[1..]);
    while !rest.is_empty() {
        match rest {
            [blank, line, tail @ ..] if blank.is_empty() && line.contains("Request") => {
                sent.push(unstamp(line).expect("stamped").to_owned());
                rest = tail;
            }
            [line, blank, tail @ ..] if blank.is_empty() && line.contains("Received") => {
                received.push(unstamp(line).expect("stamped").to_owned());
                rest = tail;
            }
            _ => panic!("unexpected client lines: {rest:?}"),
        }
    }
    let steps = (5..=25).step_by(5);
    let want_sent: Vec<_> = steps
        .clone()
        .map(|i| format!("Request {i}: Sent {} char in total", 4000 * i))
        .collect();
    let want_received: Vec<_> = steps.map(|i| format!("Received {i} responses")).collect();
    assert_eq!((sent, received), (want_sent, want_received));
    assert_eq!(read.load(Ordering::SeqCst), 25, "every request was read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_stalls_until_the_server_reads() {
    let (busy, read) = (InFlight::new(), Arc::new(AtomicUsize::new(0)));
    // For each client "Request i: Sent" line: how many requests the server had
    // read at the moment it was printed.
    let seen: Arc<Mutex<Vec<(usize, usize)>>> = Arc::default();
    let console = {
        let (read, seen) = (read.clone(), seen.clone());
        Console::capture_with_observer(move |line| {
            let text = unstamp(line).unwrap_or(line);
            let request = text
                .strip_prefix("Request ")
                .and_then(|rest| rest.split_once(": Sent "))
                .and_then(|(i, _)| i.parse().ok());
            if let Some(i) = request {
                let reads = read.load(Ordering::SeqCst);
                seen.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((i, reads));
            }
        })
    };
    let server = start(server_flags(&busy, &read), &console).await;
    SyncBidiStreaming::client(server.url(false), TUTORIAL, console.clone())
        .await
        .expect("the call succeeds");
    server.stop().await.expect("graceful stop");

    let seen = seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let indices: Vec<usize> = seen.iter().map(|(i, _)| *i).collect();
    assert_eq!(indices, [5, 10, 15, 20, 25], "{seen:?}");
    // 16 requests of 4 008 bytes fit the 65 535-byte window; 15 go out at once.
    for (i, reads) in &seen[..3] {
        assert_eq!(*reads, 0, "request {i} should not wait for the server");
    }
    // Request 20 cannot be made before the server reads and reopens the window.
    let (_, reads_at_20) = seen[3];
    assert!(reads_at_20 > 0, "request 20 was made before any read");
    assert!(
        console
            .lines()
            .iter()
            .any(|l| l.ends_with("Received 25 responses"))
    );
    assert_eq!(WINDOW, 65_535);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_walks_away_frees_its_worker() {
    let (busy, read) = (InFlight::new(), Arc::new(AtomicUsize::new(0)));
    let console = Console::capture();
    let mut flags = server_flags(&busy, &read);
    flags.initial_delay = Duration::ZERO;
    let server = start(flags, &console).await;
    let (url, quiet) = (server.url(false), Console::capture());
    run_blocking(move || {
        let channel = BlockingChannel::connect(Endpoint::from_shared(url)?)?;
        let mut stub = GreeterServiceClient::new(channel.channel());
        // Messages above 256 bytes: h2 (0.4.16+) answers floods of tiny unread
        // DATA frames with GOAWAY, a limit this test is not about.
        let many = ClientFlags {
            requests: 10_000,
            size: 4000,
        };
        let replies = channel.bidi(requests(&many, quiet), |s| stub.say_hello(s))?;
        let first: Vec<_> = replies.take(3).collect();
        assert!(
            first.iter().all(Result::is_ok) && first.len() == 3,
            "{first:?}"
        );
        Ok(()) // replies, stub and channel are dropped: the client is gone
    })
    .await
    .expect("the client runs");

    let deadline = Instant::now() + Duration::from_secs(5);
    while busy.current() > 0 {
        assert!(Instant::now() < deadline, "the worker is still busy");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        read.load(Ordering::SeqCst) < 10_000,
        "the handler stopped early"
    );

    // The server is still fine for the next client.
    let next = Console::capture();
    let five = ClientFlags {
        requests: 5,
        size: 4000,
    };
    SyncBidiStreaming::client(server.url(false), five, next.clone())
        .await
        .expect("the next call succeeds");
    assert!(
        next.lines()
            .iter()
            .any(|l| l.ends_with("Received 5 responses"))
    );
    server.stop().await.expect("graceful stop");
}
