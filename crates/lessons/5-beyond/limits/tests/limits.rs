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
        max_wait: Some(Duration::from_secs(10).into()),
        max_streams: 16,
        timeout: Duration::from_secs(60).into(),
        work: Duration::from_millis(1).into(),
        slow_work: Duration::from_secs(60).into(),
        keepalive: Duration::from_secs(60).into(),
    }
}

/// The server flags the lesson's binary runs with when given none.
fn default_server_flags() -> ServerFlags {
    #[derive(clap::Parser)]
    struct Args {
        #[command(flatten)]
        flags: ServerFlags,
    }
    <Args as clap::Parser>::parse_from(["limits"]).flags
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
    flags.work = Duration::from_millis(50).into();
    let (running, calls) = start(flags).await;
    // Two connections: the limit is per server, not per connection.
    let a = connect(running.url(false), &client_flags()).await;
    let b = connect(running.url(false), &client_flags()).await;
    let (ok_a, ok_b) = tokio::join!(client::in_parallel(&a, 4), client::in_parallel(&b, 4));
    assert_eq!(ok_a + ok_b, 8);
    // Exactly the limit: never more, and the limit really was reached.
    assert_eq!(calls.peak(), 2, "peak {}", calls.peak());
    assert_eq!(calls.completed(), 8);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_timeout_ends_a_slow_call() {
    // The default 500 ms timeout: long enough for the follow-up call on a loaded
    // machine, short against the 60 s slow call.
    let mut flags = default_server_flags();
    flags.slow_work = Duration::from_secs(60).into();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keepalive_pings_detect_a_dead_peer_on_both_sides() {
    // 500 ms pings on a multi-threaded runtime: a loaded 2-core machine can delay a
    // pong by 100 ms and drop a healthy connection, not by half a second; still
    // far inside BOUND and the 60 s slow call.
    let ping = Duration::from_millis(500);
    let mut flags = server_flags();
    flags.keepalive = ping.into();
    let (running, calls) = start(flags).await;
    let (relay, frozen) = freezable_relay(running.local_addr()).await;
    let mut client_flags = client_flags();
    client_flags.ping_every = ping.into();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_default_flags_a_queued_call_is_shed_not_cancelled() {
    // The defaults: 2 slots, 250 ms --max-wait, 500 ms --timeout. tonic's timeout
    // wraps the slots layer, so it times the wait too; a max-wait longer than the
    // timeout would turn every shed call into CANCELLED.
    let (running, calls) = start(default_server_flags()).await;
    let greeter = connect(running.url(false), &client_flags()).await;
    // Both slots are taken by slow calls, which the 500 ms timeout ends...
    let slow: Vec<_> = (0..2)
        .map(|_| {
            let greeter = greeter.clone();
            tokio::spawn(async move { client::say_hello(&greeter, 2048, "slow").await })
        })
        .collect();
    tokio::time::timeout(BOUND, calls.wait_for(|c| c.current() == 2))
        .await
        .expect("the slow calls hold both slots");
    // ...but the next call is shed at 250 ms, before the timeout could cancel it.
    let status = tokio::time::timeout(BOUND, client::say_hello(&greeter, 2048, "Jack"))
        .await
        .expect("shed within the bound")
        .unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(
        status.message().contains("no free slot within 250ms"),
        "{status:?}"
    );
    for call in slow {
        let status = call.await.unwrap().unwrap_err();
        assert_eq!(
            (status.code(), status.message()),
            (Code::Cancelled, "Timeout expired")
        );
    }
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lessons_burst_with_150ms_of_work_is_shed_not_cancelled() {
    // What `cargo run -p limits -- --work 150ms` shows: six calls, two slots. The
    // first four are answered (the last two of them after 150 ms in the queue), the
    // others are shed at 250 ms; none runs into the 500 ms timeout.
    let mut flags = default_server_flags();
    flags.work = Duration::from_millis(150).into();
    let (running, _) = start(flags).await;
    let greeter = connect(running.url(false), &client_flags()).await;
    let outcomes = client::in_parallel_outcomes(&greeter, 6).await;
    let codes: Vec<_> = outcomes
        .iter()
        .map(|o| o.as_ref().map(|_| ()).map_err(|s| s.code()))
        .collect();
    let answered = codes.iter().filter(|c| c.is_ok()).count();
    let shed = codes
        .iter()
        .filter(|c| **c == Err(Code::ResourceExhausted))
        .count();
    // The page's "four are answered, the last two are shed", pinned: calls 3 and 4
    // get a slot at 150 ms (100 ms before their 250 ms wait ends), 5 and 6 not
    // before 300 ms.
    assert_eq!((answered, shed), (4, 2), "{outcomes:?}");
    running.stop().await.unwrap();
}

#[test]
fn the_defaults_the_page_names() {
    let flags = default_server_flags();
    assert_eq!(
        (
            flags.concurrency,
            flags.max_streams,
            Duration::from(flags.timeout),
            flags.max_wait(),
            Duration::from(flags.work),
        ),
        (
            2,
            16,
            Duration::from_millis(500),
            Duration::from_millis(250),
            Duration::from_millis(20),
        )
    );
}

#[test]
fn a_max_wait_the_timeout_would_cut_short_is_refused() {
    default_server_flags().check().unwrap();
    // Unset, it is half the timeout, whatever the timeout.
    assert_eq!(
        default_server_flags().max_wait(),
        Duration::from_millis(250)
    );
    let mut flags = default_server_flags();
    flags.timeout = Duration::from_millis(100).into();
    assert_eq!(flags.max_wait(), Duration::from_millis(50));
    flags.check().unwrap();
    let mut flags = default_server_flags();
    flags.max_wait = Some(Duration::from_millis(500).into());
    let error = flags.check().unwrap_err().to_string();
    assert!(error.contains("--max-wait"), "{error}");
}

/// One client opens 10 000 calls on one connection against the lesson's server,
/// run as its own process: the server holds at most `--max-streams` of them
/// (the rest wait in the client, which pays for its own greed), keeps its memory
/// bounded, and a second client is served within its deadline. Before the stream
/// cap, the server took ~1 000 of them (tonic's channel buffer) into the
/// concurrency limit's queue and the second client waited behind them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_from_one_client_neither_grow_the_server_nor_starve_another() {
    const CALLS: usize = 10_000;
    /// The server's peak resident memory must stay under this.
    const PEAK_RSS_KIB: u64 = 64 * 1024;
    let deadline = Duration::from_secs(1);
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_limits"));
    // The lesson's defaults: 2 slots, 20 ms of work, 16 streams per connection,
    // 250 ms wait for a slot, 500 ms timeout.
    let args: [&str; 0] = [];
    let server = reliability::child::ChildServer::start(program, &args)
        .await
        .unwrap();
    let flags = client_flags();
    let polite = connect(server.url(), &flags).await;
    client::say_hello(&polite, 2048, "warm-up").await.unwrap();

    let greedy = connect(server.url(), &flags).await;
    let mut flood = tokio::task::JoinSet::new();
    for i in 0..CALLS {
        let greedy = greedy.clone();
        flood.spawn(async move {
            client::say_hello(&greedy, 2048, &format!("flood {i}"))
                .await
                .map_err(|status| status.code())
        });
    }
    // The flood is on once the server has answered (or shed) 100 of its calls.
    let mut outcomes = Vec::new();
    while outcomes.len() < 100 {
        let next = tokio::time::timeout(BOUND, flood.join_next()).await;
        outcomes.push(next.expect("the flood makes progress").unwrap().unwrap());
    }
    // Meanwhile, the polite client's calls each finish inside a 1 s deadline.
    for i in 0..5 {
        let started = std::time::Instant::now();
        let answer = tokio::time::timeout(deadline, client::say_hello(&polite, 2048, "polite"))
            .await
            .unwrap_or_else(|_| panic!("polite call {i} waited past {deadline:?}"));
        assert_eq!(answer.unwrap(), "Hello, polite!");
        assert!(started.elapsed() < deadline);
    }
    while outcomes.len() < 300 {
        let next = tokio::time::timeout(BOUND, flood.join_next()).await;
        outcomes.push(next.expect("the flood makes progress").unwrap().unwrap());
    }
    flood.abort_all();
    let answered = outcomes.iter().filter(|o| o.is_ok()).count();
    let shed = outcomes
        .iter()
        .filter(|o| **o == Err(Code::ResourceExhausted))
        .count();
    // Streams the client opened before the server's SETTINGS (with its stream cap)
    // reached it are refused with RST_STREAM REFUSED_STREAM, which tonic reports as
    // UNAVAILABLE: the other way a server sheds, and safe to retry.
    let refused = outcomes
        .iter()
        .filter(|o| **o == Err(Code::Unavailable))
        .count();
    assert_eq!(answered + shed + refused, outcomes.len(), "{outcomes:?}");
    assert!(
        answered > 0,
        "{answered} answered, {shed} shed, {refused} refused"
    );
    let peak = server.peak_rss_kib().expect("/proc/<pid>/status");
    assert!(peak < PEAK_RSS_KIB, "server peak RSS {peak} KiB");
    eprintln!(
        "flood: {answered} answered, {shed} shed, {refused} refused of the first {}; server peak RSS {peak} KiB",
        outcomes.len()
    );
}

/// What a client in any language sees: tonic *sends* `grpc-status: 11`
/// (OUT_OF_RANGE) for a request over its limit and for a reply over its limit.
/// Read here with a raw HTTP/2 client, not tonic's, so no client mapping is involved.
#[tokio::test]
async fn on_the_wire_a_tonic_server_answers_size_errors_with_out_of_range() {
    use prost::Message;
    let (running, _) = start(server_flags()).await;
    let authority = running.local_addr().to_string();
    let path = "/tutorial.helloworld.v1.GreeterService/SayHello";
    for (name, expected) in [
        ("b".repeat(1500), "decoded message length too large"),
        ("c".repeat(800), "encoded message length too large"),
    ] {
        let request = helloworld_proto::v1::SayHelloRequest { name };
        let body = reliability::raw::grpc_frame(&request.encode_to_vec());
        let reply = reliability::raw::post(&authority, path, "application/grpc", body, true)
            .await
            .unwrap();
        let (code, message) = reply.grpc_status().expect("a grpc-status");
        assert_eq!(code, Code::OutOfRange as i32, "{}", reply.summary());
        assert!(message.contains(expected), "{message:?}");
    }
    running.stop().await.unwrap();
}

/// The table's tonic row for a client's own send limit: without the lesson's check
/// first, tonic's client fails the call as `INTERNAL`, and the handler never runs.
#[tokio::test]
async fn a_plain_tonic_client_over_its_send_limit_fails_as_internal() {
    use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
    let (running, calls) = start(server_flags()).await;
    let mut greeter = GreeterServiceClient::connect(running.url(false))
        .await
        .unwrap()
        .max_encoding_message_size(2048);
    let request = helloworld_proto::v1::SayHelloRequest {
        name: "d".repeat(3000),
    };
    let status = greeter.say_hello(request).await.unwrap_err();
    assert_eq!(status.code(), Code::Internal, "{status:?}");
    assert!(status.message().contains("h2 protocol error"), "{status:?}");
    assert_eq!(calls.finished(), 0);
    running.stop().await.unwrap();
}

/// The alternative the page turns down: `load_shed` fails a call that finds the
/// connection's limit reached at once, with tonic's own message.
#[tokio::test]
async fn load_shed_refuses_a_call_over_the_limit_at_once() {
    let calls = InFlight::new();
    let flags = server_flags();
    let running = RunningServer::start({
        let calls = calls.clone();
        move |listener, shutdown| async move {
            tonic::transport::Server::builder()
                .concurrency_limit_per_connection(1)
                .load_shed(true)
                .add_service(limits::server::service(&flags, calls))
                .serve_with_incoming_shutdown(
                    lesson_kit::server::incoming(listener),
                    shutdown.wait(),
                )
                .await?;
            Ok(())
        }
    })
    .await
    .unwrap();
    let greeter = connect(running.url(false), &client_flags()).await;
    let slow = tokio::spawn({
        let greeter = greeter.clone();
        async move { client::say_hello(&greeter, 2048, "slow").await }
    });
    tokio::time::timeout(BOUND, calls.wait_for(|c| c.current() == 1))
        .await
        .expect("the slow call holds the connection's one slot");
    let status = tokio::time::timeout(BOUND, client::say_hello(&greeter, 2048, "Jack"))
        .await
        .expect("shed at once")
        .unwrap_err();
    assert_eq!(
        (status.code(), status.message()),
        (
            Code::ResourceExhausted,
            "Too many active requests for the connection"
        )
    );
    // Close the connection, so the 60 s slow call does not hold up the stop.
    slow.abort();
    drop(greeter);
    tokio::time::timeout(BOUND, running.stop())
        .await
        .expect("stopped")
        .unwrap();
}

/// SETTINGS_MAX_CONCURRENT_STREAMS in the first SETTINGS frame the server at
/// `addr` sends, `None` when the frame has no such entry (no limit).
async fn advertised_max_streams(addr: SocketAddr) -> Option<u32> {
    const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let mut socket = TcpStream::connect(addr).await.unwrap();
    socket.write_all(PREFACE).await.unwrap();
    socket
        .write_all(&[0, 0, 0, 0x4, 0, 0, 0, 0, 0])
        .await
        .unwrap();
    // The server's preface is its SETTINGS frame: a 9-byte header, then (id, value) pairs.
    let mut header = [0u8; 9];
    socket.read_exact(&mut header).await.unwrap();
    assert_eq!((header[3], header[4]), (0x4, 0), "a SETTINGS frame first");
    let length = u32::from_be_bytes([0, header[0], header[1], header[2]]) as usize;
    let mut payload = vec![0u8; length];
    socket.read_exact(&mut payload).await.unwrap();
    payload
        .chunks(6)
        .find(|setting| u16::from_be_bytes([setting[0], setting[1]]) == 0x3)
        .map(|setting| u32::from_be_bytes(setting[2..6].try_into().unwrap()))
}

#[tokio::test]
async fn the_lessons_server_caps_streams_per_connection_and_plain_tonic_does_not() {
    let (running, _) = start(default_server_flags()).await;
    assert_eq!(advertised_max_streams(running.local_addr()).await, Some(16));
    running.stop().await.unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let plain = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(limits::server::service(&server_flags(), InFlight::new()))
            .serve_with_incoming(lesson_kit::server::incoming(listener)),
    );
    assert_eq!(advertised_max_streams(addr).await, None);
    plain.abort();
}
