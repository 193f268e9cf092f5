//! Bad clients that speak valid gRPC: messages over the limit, a thousand
//! streams at once, a client that never reads, clients that vanish mid-stream.

use anyhow::{Context, ensure};
use futures::future::join_all;
use helloworld_proto::{v1, v2, v3};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;
use tonic::transport::Channel;

use crate::protocol::Instructions;
use crate::target::{Target, expect_code};
use crate::wait::{until, within, within_for};

/// The bound for steps that move tens of thousands of messages.
const LOADED: std::time::Duration = std::time::Duration::from_secs(20);

/// `oversized_request`: a request one byte over the server's limit is refused.
///
/// gRPC specifies `RESOURCE_EXHAUSTED`; tonic 0.14 answers `OUT_OF_RANGE`
/// ("decoded message length too large"), which is what is asserted.
pub async fn oversized_request(target: &Target) -> anyhow::Result<String> {
    let limit = target.limits().max_message_bytes;
    let name = "x".repeat(limit); // + tag and length: over the limit
    let status = within(
        "oversized request",
        target.v1().say_hello(v1::SayHelloRequest { name }),
    )
    .await?
    .err()
    .context("accepted")?;
    expect_code(&status, Code::OutOfRange)?;
    ensure!(
        status
            .message()
            .contains("decoded message length too large"),
        "{status:?}"
    );
    Ok(format!("OUT_OF_RANGE {:?}", status.message()))
}

/// `oversized_response`: a response the server would make over its own limit
/// is not sent; the client gets a status instead of a truncated message.
///
/// The text asked for is exactly the limit, so the encoded message (plus its tag
/// and length) is just over it: tonic's encoder refuses it.
pub async fn oversized_response(target: &Target) -> anyhow::Result<String> {
    let limit = target.limits().max_message_bytes;
    let ask = Instructions {
        response_size: Some(limit),
        ..Default::default()
    };
    let status = within(
        "oversized response",
        target
            .v1()
            .say_hello(ask.request(v1::SayHelloRequest::default())),
    )
    .await?
    .err()
    .context("sent")?;
    expect_code(&status, Code::OutOfRange)?;
    ensure!(
        status
            .message()
            .contains("encoded message length too large"),
        "{status:?}"
    );
    Ok(format!("OUT_OF_RANGE {:?}", status.message()))
}

/// `response_size_from_the_client`: the client names the response size (the
/// test-service protocol's `x-response-size`). A size over the message limit,
/// up to `u64::MAX`, is refused with `RESOURCE_EXHAUSTED` before the server
/// allocates anything; the old server padded a string to whatever it was told.
pub async fn response_size_from_the_client(target: &Target) -> anyhow::Result<String> {
    let limit = target.limits().max_message_bytes;
    let mut seen = Vec::new();
    for size in [limit as u64 + 1, 1 << 40, u64::MAX] {
        let mut request = tonic::Request::new(v1::SayHelloRequest::default());
        let value = tonic::metadata::AsciiMetadataValue::try_from(size.to_string())?;
        request
            .metadata_mut()
            .insert(crate::protocol::RESPONSE_SIZE, value);
        let status = within(
            "a response size over the limit",
            target.v1().say_hello(request),
        )
        .await?
        .err()
        .with_context(|| format!("x-response-size {size} was answered"))?;
        expect_code(&status, Code::ResourceExhausted)?;
        seen.push(size.to_string());
    }
    Ok(format!(
        "x-response-size {} -> RESOURCE_EXHAUSTED, nothing allocated",
        seen.join(", ")
    ))
}

/// 1 000 server-streaming calls at once on one connection, 20 messages each:
/// every one completes with every message, none crossed into another stream.
pub async fn concurrent_streams_1000(target: &Target) -> anyhow::Result<String> {
    const CALLS: usize = 1000;
    let channel = target.new_channel(|endpoint| endpoint).await?;
    let ask = Instructions {
        response_count: Some(20),
        ..Default::default()
    };
    // How many messages one call brings (our server: 20; a lesson server: its own).
    let expected = read_stream(&channel, &ask, "reference".into()).await?;
    let calls = (0..CALLS).map(|i| read_stream(&channel, &ask, format!("caller {i}")));
    // 20 000 messages: allow for a loaded 2-core CI machine.
    let counts = within_for(LOADED, "1000 concurrent streams", join_all(calls)).await?;
    let mut received = 0;
    for (i, count) in counts.into_iter().enumerate() {
        let count = count.with_context(|| format!("stream {i}"))?;
        ensure!(
            count == expected,
            "stream {i}: {count} of {expected} messages"
        );
        received += count;
    }
    let mut detail = format!("{CALLS} streams x {expected} = {received} messages, none lost");
    if let Some(probes) = target.probes() {
        let (peak, cap) = (
            probes.in_flight.peak(),
            target.limits().max_concurrent_streams,
        );
        ensure!(
            peak <= cap as usize,
            "{peak} streams at once, over the {cap} limit"
        );
        detail +=
            &format!("; server peak {peak} open at once (cap {cap}: h2 queues more in the client)");
    }
    Ok(detail)
}

/// Reads one v2 stream to its end, checking every message is for `name`.
async fn read_stream(channel: &Channel, ask: &Instructions, name: String) -> anyhow::Result<usize> {
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let request = ask.request(v2::SayHelloRequest { name: name.clone() });
    let mut stream = client.say_hello(request).await?.into_inner();
    let mut count = 0;
    while let Some(reply) = stream.message().await? {
        ensure!(
            reply.message.contains(&name),
            "{name} got {:?}",
            reply.message
        );
        count += 1;
    }
    Ok(count)
}

/// The most messages a server can have produced for a client that reads none.
///
/// The client grants `window` bytes (its HTTP/2 stream window); past that, h2
/// gives the server no send capacity. Before blocking, hyper holds at most two
/// encoded chunks beyond the window (one queued in h2, one waiting for
/// capacity), each at most tonic's 32 KiB yield threshold plus one message; and
/// the producer's bounded channel holds `buffer` more. Anything above this
/// means something buffers without bound.
pub fn flow_control_bound(window: u64, message_on_wire: u64, buffer: u64) -> u64 {
    const TONIC_YIELD_THRESHOLD: u64 = 32 * 1024;
    let in_transit = window + 2 * (TONIC_YIELD_THRESHOLD + message_on_wire);
    in_transit.div_ceil(message_on_wire) + buffer
}

/// A client opens an endless server stream and never reads it: the producer
/// must block on flow control, its count settling under [`flow_control_bound`].
pub async fn never_reading_client(target: &Target) -> anyhow::Result<String> {
    const WINDOW: u32 = 65_535; // HTTP/2's default, set explicitly
    const SIZE: usize = 1024;
    let probes = target.probes().context("needs the server under test")?;
    let channel = target
        .new_channel(|e| {
            e.initial_stream_window_size(WINDOW)
                .initial_connection_window_size(WINDOW)
        })
        .await?;
    let ask = Instructions {
        response_size: Some(SIZE),
        response_count: Some(10_000_000), // ~10 GB if nothing pushed back
        ..Default::default()
    };
    let rss_before = rss_kib();
    let (before, pulled_before) = (probes.produced(), probes.pulled());
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel);
    let request = ask.request(v2::SayHelloRequest {
        name: "slow reader".into(),
    });
    let stream = within("open", client.say_hello(request)).await??;
    // Blocked, counted by events rather than by a quiet spell: tonic has taken at
    // least a window's worth of messages (h2 can send no more of them), and the
    // producer is parked on a full buffer. From here only a WINDOW_UPDATE (never
    // sent) could move anything.
    let message_on_wire = SIZE as u64 + 8;
    until(
        "the producer to block on flow control",
        || (probes.pulled() - pulled_before, probes.waiting()),
        |(pulled, waiting)| pulled * message_on_wire >= u64::from(WINDOW) && *waiting == 1,
    )
    .await?;
    let settled = probes.produced() - before;
    // 5-byte gRPC prefix + 1 tag byte + 2 length bytes + the message.
    let bound = flow_control_bound(
        WINDOW.into(),
        SIZE as u64 + 8,
        target.limits().stream_buffer as u64,
    );
    ensure!(
        settled <= bound,
        "produced {settled} messages, over the bound {bound}"
    );
    ensure!(settled > 0, "the producer never started");
    let rss_after = rss_kib();
    drop(stream);
    until(
        "the producer to stop",
        || probes.in_flight.current(),
        |n| *n == 0,
    )
    .await?;
    Ok(format!(
        "producer blocked at {settled} msgs of {SIZE} B (bound {bound}); RSS {} -> {} KiB",
        rss_before.unwrap_or(0),
        rss_after.unwrap_or(0)
    ))
}

/// This process's resident memory in KiB (Linux `/proc/self/status`), if known.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Many clients mid-stream (server streams blocked on flow control, bidi
/// sessions waiting for their next request) vanish at once: their task is
/// aborted, dropping every call and the connection. The server's in-flight
/// gauge must return to where it was.
pub async fn vanishing_clients(target: &Target) -> anyhow::Result<String> {
    const EACH: usize = 50;
    let probes = target
        .probes()
        .context("needs the server under test")?
        .clone();
    let (base, abandoned) = (probes.in_flight.current(), probes.abandoned());
    let channel = target.new_channel(|e| e).await?;
    let (ready_tx, ready) = tokio::sync::oneshot::channel();
    let clients = tokio::spawn(async move {
        let streams = (0..EACH).map(|_| open_endless_stream(&channel));
        let sessions = (0..EACH).map(|_| open_bidi_session(&channel));
        let (streams, sessions) = (join_all(streams).await, join_all(sessions).await);
        let _ = ready_tx.send(());
        let _held = (streams, sessions, channel);
        std::future::pending::<()>().await
    });
    within("the clients to start", ready).await??;
    let open = base + 2 * EACH;
    until(
        "every call to be running",
        || probes.in_flight.current(),
        |n| *n >= open,
    )
    .await?;
    clients.abort();
    until(
        "the server to clean up",
        || probes.in_flight.current(),
        |n| *n == base,
    )
    .await?;
    let abandoned = probes.abandoned() - abandoned;
    Ok(format!(
        "{EACH} server streams + {EACH} bidi sessions vanished; in-flight {open} -> {base}, \
         {abandoned} response streams abandoned"
    ))
}

/// An endless v2 stream with its first message read (so it is surely running).
async fn open_endless_stream(channel: &Channel) -> Option<tonic::Streaming<v2::SayHelloResponse>> {
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let ask = Instructions {
        response_count: Some(10_000_000),
        ..Default::default()
    };
    let mut stream = client
        .say_hello(ask.request(v2::SayHelloRequest::default()))
        .await
        .ok()?
        .into_inner();
    stream.message().await.ok()??;
    Some(stream)
}

/// A v3 session after one exchange, its request stream left open.
async fn open_bidi_session(
    channel: &Channel,
) -> Option<(
    mpsc::Sender<v3::SayHelloRequest>,
    tonic::Streaming<v3::SayHelloResponse>,
)> {
    let mut client = v3::greeter_service_client::GreeterServiceClient::new(channel.clone());
    let (tx, rx) = mpsc::channel(1);
    let mut replies = client
        .say_hello(ReceiverStream::new(rx))
        .await
        .ok()?
        .into_inner();
    tx.send(v3::SayHelloRequest::default()).await.ok()?;
    replies.message().await.ok()??;
    Some((tx, replies))
}
