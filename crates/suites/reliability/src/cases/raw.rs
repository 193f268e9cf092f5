//! Bad clients below gRPC: garbage instead of HTTP/2, broken HTTP/2 frames,
//! and well-formed HTTP/2 carrying a wrong content type, a truncated gRPC frame,
//! bytes that are not protobuf, or a length prefix claiming 4 GiB. Each asserts
//! exactly what tonic answered (observed, and explained in the docs).

use anyhow::{Context, ensure};
use bytes::Bytes;
use tonic::Code;

use crate::protocol::RESPONSE_COUNT;
use crate::raw::{
    EMPTY_SETTINGS, PREFACE, RawReply, describe_frames, goaway_code, grpc_frame, grpc_request,
    handshake, post, send_raw,
};
use crate::target::Target;
use crate::wait::{until, within};

const SAY_HELLO: &str = "/tutorial.helloworld.v1.GreeterService/SayHello";
const GRPC: &str = "application/grpc";
/// HTTP/2's PROTOCOL_ERROR code.
const PROTOCOL_ERROR: u32 = 0x1;

/// `SayHelloRequest { name: "raw" }` encoded by hand: field 1, length 3.
const VALID_REQUEST: &[u8] = &[0x0a, 3, b'r', b'a', b'w'];

/// Bytes that are not an HTTP/2 preface: the server closes the connection.
pub async fn garbage_instead_of_preface(target: &Target) -> anyhow::Result<String> {
    let garbage = b"\x16\x03\x01 this is not HTTP/2 at all \xff\xfe\xfd\r\n\r\n";
    let received = send_raw(&target.authority()?, garbage).await?;
    Ok(format!(
        "server sent [{}], then closed the connection",
        describe_frames(&received)
    ))
}

/// A valid preface, then a DATA frame on stream 0 (forbidden): the server
/// answers GOAWAY PROTOCOL_ERROR and closes the connection.
pub async fn garbage_frames(target: &Target) -> anyhow::Result<String> {
    let data_on_stream_0 = [0, 0, 8, 0x0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    let bytes = [
        PREFACE,
        &EMPTY_SETTINGS,
        &data_on_stream_0,
        b"\xde\xad\xbe\xef",
    ]
    .concat();
    let received = send_raw(&target.authority()?, &bytes).await?;
    let code = goaway_code(&received);
    ensure!(
        code == Some(PROTOCOL_ERROR),
        "expected GOAWAY PROTOCOL_ERROR, got [{}]",
        describe_frames(&received)
    );
    Ok(format!(
        "server sent [{}], then closed",
        describe_frames(&received)
    ))
}

/// Posts `body` to SayHello (with END_STREAM) and expects `code`.
async fn expect_grpc(
    target: &Target,
    content_type: &str,
    body: Vec<u8>,
    code: Code,
) -> anyhow::Result<RawReply> {
    let reply = post(&target.authority()?, SAY_HELLO, content_type, body, true).await?;
    let (got, _) = reply.grpc_status().with_context(|| reply.summary())?;
    ensure!(
        got == code as i32,
        "expected {code:?}, got {}",
        reply.summary()
    );
    Ok(reply)
}

/// A gRPC request sent as `content-type: text/plain`.
///
/// The gRPC spec says a server *should* answer HTTP 415. tonic does not look at
/// the request's content type: it decodes the body as gRPC and answers OK.
/// That is asserted, so a tonic that starts enforcing it shows up here.
pub async fn wrong_content_type(target: &Target) -> anyhow::Result<String> {
    let reply = expect_grpc(target, "text/plain", grpc_frame(VALID_REQUEST), Code::Ok).await?;
    ensure!(reply.http_status == 200, "{}", reply.summary());
    Ok(format!(
        "{} (tonic ignores the request content-type; spec: SHOULD 415)",
        reply.summary()
    ))
}

/// A length prefix announcing 100 bytes, then 10 bytes and END_STREAM: the
/// server answers `INTERNAL` rather than waiting for the rest.
pub async fn truncated_grpc_frame(target: &Target) -> anyhow::Result<String> {
    let mut body = vec![0, 0, 0, 0, 100];
    body.extend_from_slice(&[b'x'; 10]);
    let reply = expect_grpc(target, GRPC, body, Code::Internal).await?;
    Ok(reply.summary())
}

/// Well-framed messages whose bytes are not a valid `SayHelloRequest`: each
/// is `INTERNAL` ("failed to decode Protobuf message").
pub async fn malformed_protobuf(target: &Target) -> anyhow::Result<String> {
    let payloads: [(&str, &[u8]); 3] = [
        ("wire type 7", &[0x0f, 0x00]),
        ("length past the end", &[0x0a, 100, b'a']),
        ("invalid UTF-8 in a string", &[0x0a, 2, 0xff, 0xfe]),
    ];
    let mut seen = Vec::new();
    for (what, payload) in payloads {
        let reply = expect_grpc(target, GRPC, grpc_frame(payload), Code::Internal)
            .await
            .with_context(|| what.to_owned())?;
        let (_, message) = reply.grpc_status().unwrap_or_default();
        ensure!(
            message.contains("failed to decode Protobuf message"),
            "{what}: {message:?}"
        );
        seen.push(what);
    }
    Ok(format!(
        "INTERNAL \"failed to decode Protobuf message\" for: {}",
        seen.join(", ")
    ))
}

/// A length prefix of 4 GiB - 1 and no END_STREAM: the server refuses at once
/// (over its limit) instead of waiting for, or allocating, 4 GiB.
pub async fn huge_length_prefix(target: &Target) -> anyhow::Result<String> {
    let body = vec![0, 0xff, 0xff, 0xff, 0xff, b'x'];
    let reply = post(&target.authority()?, SAY_HELLO, GRPC, body, false).await?;
    let (code, message) = reply.grpc_status().with_context(|| reply.summary())?;
    ensure!(code == Code::OutOfRange as i32, "{}", reply.summary());
    ensure!(
        message.contains("decoded message length too large"),
        "{message:?}"
    );
    Ok(reply.summary())
}

/// Raw HTTP/2 clients open endless server streams, read a little, and vanish:
/// the TCP connection closes with no RST_STREAM and no GOAWAY, as when a
/// process is killed. The server must drop every stream.
pub async fn vanishing_connections(target: &Target) -> anyhow::Result<String> {
    const CONNECTIONS: usize = 10;
    const STREAMS: usize = 10;
    let probes = target.probes().context("needs the server under test")?;
    let base = probes.in_flight.current();
    let mut drivers = Vec::new();
    let mut held = Vec::new();
    let authority = target.authority()?;
    let path = "/tutorial.helloworld.v2.GreeterService/SayHello";
    for _ in 0..CONNECTIONS {
        let (mut sender, driver) = handshake(&authority).await?;
        drivers.push(driver);
        for _ in 0..STREAMS {
            let request = grpc_request(&authority, path, GRPC, &[(RESPONSE_COUNT, "10000000")])?;
            sender = within("ready", sender.ready()).await??;
            let (response, mut stream) = sender.send_request(request, false)?;
            stream.send_data(Bytes::from(grpc_frame(VALID_REQUEST)), true)?;
            let mut body = within("headers", response).await??.into_body();
            within("first data", body.data())
                .await?
                .context("no data")??;
            held.push(body);
        }
    }
    let open = base + CONNECTIONS * STREAMS;
    until(
        "every stream to be running",
        || probes.in_flight.current(),
        |n| *n >= open,
    )
    .await?;
    // Vanish: stop driving the connections (their sockets close), then forget the streams.
    drivers.iter().for_each(|driver| driver.abort());
    for driver in drivers {
        let _ = driver.await;
    }
    drop(held);
    until(
        "the server to drop the streams",
        || probes.in_flight.current(),
        |n| *n == base,
    )
    .await?;
    Ok(format!(
        "{CONNECTIONS} connections x {STREAMS} streams closed mid-stream; in-flight {open} -> {base}"
    ))
}
