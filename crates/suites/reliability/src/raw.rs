//! Clients tonic would never be: raw bytes on a TCP socket, and hand-built
//! HTTP/2 requests (the `h2` crate, no tonic) carrying broken gRPC.
//!
//! The abuse cases use these to send exactly the wrong thing and record exactly
//! what came back: bytes and GOAWAY codes for broken HTTP/2, HTTP status and
//! `grpc-status` for broken gRPC.

use anyhow::Context;
use bytes::Bytes;
use http::HeaderMap;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::wait::within;

/// The HTTP/2 client connection preface.
pub const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// An empty SETTINGS frame: the rest of a valid client preface.
pub const EMPTY_SETTINGS: [u8; 9] = [0, 0, 0, 0x4, 0, 0, 0, 0, 0];

/// A gRPC message frame: compressed flag, 4-byte big-endian length, payload.
pub fn grpc_frame(payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![0];
    frame.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    frame.extend_from_slice(payload);
    frame
}

/// Writes `bytes` to a new connection to `authority`, then reads until the
/// server closes it (bounded); returns what the server sent.
pub async fn send_raw(authority: &str, bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut socket = within("connect", TcpStream::connect(authority)).await??;
    socket.write_all(bytes).await?;
    let mut received = Vec::new();
    let read = within(
        "the server to close the connection",
        socket.read_to_end(&mut received),
    )
    .await?;
    // A reset instead of a clean close is still "closed"; keep what arrived.
    if let Err(error) = read {
        tracing::debug!("connection ended with {error}");
    }
    Ok(received)
}

/// The complete HTTP/2 frames in `bytes`, as (type, payload).
pub fn frames(mut bytes: &[u8]) -> Vec<(u8, &[u8])> {
    let mut frames = Vec::new();
    while bytes.len() >= 9 {
        let length = u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]) as usize;
        let Some(payload) = bytes.get(9..9 + length) else {
            break;
        };
        frames.push((bytes[3], payload));
        bytes = &bytes[9 + length..];
    }
    frames
}

/// The error code of the first GOAWAY frame among server frames `bytes`.
pub fn goaway_code(bytes: &[u8]) -> Option<u32> {
    let (_, payload) = frames(bytes).into_iter().find(|(kind, _)| *kind == 0x7)?;
    let code = payload.get(4..8)?;
    Some(u32::from_be_bytes([code[0], code[1], code[2], code[3]]))
}

/// The frames in `bytes`, named: `SETTINGS, GOAWAY(1)`.
pub fn describe_frames(bytes: &[u8]) -> String {
    let names: Vec<String> = frames(bytes)
        .into_iter()
        .map(|(kind, _)| match kind {
            0x0 => "DATA".into(),
            0x1 => "HEADERS".into(),
            0x3 => "RST_STREAM".into(),
            0x4 => "SETTINGS".into(),
            0x6 => "PING".into(),
            0x7 => format!("GOAWAY({})", goaway_code(bytes).unwrap_or_default()),
            0x8 => "WINDOW_UPDATE".into(),
            other => format!("type {other}"),
        })
        .collect();
    if names.is_empty() {
        "nothing".into()
    } else {
        names.join(", ")
    }
}

/// What a hand-built request got back.
#[derive(Debug)]
pub struct RawReply {
    /// The HTTP status.
    pub http_status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body's bytes.
    pub body: Bytes,
    /// The trailers, if any (a "trailers-only" gRPC reply has none).
    pub trailers: Option<HeaderMap>,
}

impl RawReply {
    /// `grpc-status` and `grpc-message`, from the trailers or a trailers-only reply.
    pub fn grpc_status(&self) -> Option<(i32, String)> {
        let map = self
            .trailers
            .as_ref()
            .filter(|t| t.contains_key("grpc-status"));
        let map = map.unwrap_or(&self.headers);
        let code = map.get("grpc-status")?.to_str().ok()?.parse().ok()?;
        let message = map
            .get("grpc-message")
            .map(|m| percent_decode(m.as_bytes()))
            .unwrap_or_default();
        Some((code, message))
    }

    /// A one-line summary for the table.
    pub fn summary(&self) -> String {
        match self.grpc_status() {
            Some((code, message)) => format!(
                "HTTP {}, grpc-status {code} ({:?}) {message:?}",
                self.http_status,
                tonic::Code::from_i32(code)
            ),
            None => format!("HTTP {}, no grpc-status", self.http_status),
        }
    }
}

/// Undoes the percent-encoding gRPC applies to `grpc-message`.
pub fn percent_decode(encoded: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some((&first, tail)) = rest.split_first() {
        let hex = tail.get(..2).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) if first == b'%' => {
                bytes.push(byte);
                rest = &tail[2..];
            }
            _ => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// An HTTP/2 client handshake on a new connection to `authority`, its
/// connection driven by a task the caller may abort (to vanish).
///
/// Each stream may receive `STREAM_WINDOW` bytes unread; the connection window
/// is large enough for many such streams not to starve each other.
pub async fn handshake(
    authority: &str,
) -> anyhow::Result<(h2::client::SendRequest<Bytes>, tokio::task::JoinHandle<()>)> {
    const STREAM_WINDOW: u32 = 16 * 1024;
    let socket = within("connect", TcpStream::connect(authority)).await??;
    let handshake = h2::client::Builder::new()
        .initial_window_size(STREAM_WINDOW)
        .initial_connection_window_size(64 * STREAM_WINDOW)
        .handshake(socket);
    let (sender, connection) = within("HTTP/2 handshake", handshake).await??;
    let driver = tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!("raw HTTP/2 connection ended: {error}");
        }
    });
    Ok((sender, driver))
}

/// A gRPC POST request for `path` with our headers plus `extra`.
pub fn grpc_request(
    authority: &str,
    path: &str,
    content_type: &str,
    extra: &[(&str, &str)],
) -> anyhow::Result<http::Request<()>> {
    let mut request = http::Request::post(format!("http://{authority}{path}"))
        .header("content-type", content_type)
        .header("te", "trailers");
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    Ok(request.body(())?)
}

/// A hand-built HTTP/2 POST: `content_type`, `te: trailers`, then `body` in one
/// DATA frame, with END_STREAM when `end`. Bounded; the connection is closed
/// after the reply.
pub async fn post(
    authority: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
    end: bool,
) -> anyhow::Result<RawReply> {
    let (sender, driver) = handshake(authority).await?;
    let reply = async {
        let request = grpc_request(authority, path, content_type, &[])?;
        let mut sender = within("ready", sender.ready()).await??;
        let (response, mut stream) = sender.send_request(request, false)?;
        stream.send_data(Bytes::from(body), end)?;
        let response = within("response headers", response).await??;
        let (parts, mut incoming) = response.into_parts();
        let mut body = Vec::new();
        while let Some(chunk) = within("response body", incoming.data()).await? {
            let chunk = chunk.context("reading the body")?;
            let _ = incoming.flow_control().release_capacity(chunk.len());
            body.extend_from_slice(&chunk);
        }
        let trailers = within("trailers", incoming.trailers()).await??;
        anyhow::Ok(RawReply {
            http_status: parts.status.as_u16(),
            headers: parts.headers,
            body: body.into(),
            trailers,
        })
    }
    .await;
    driver.abort();
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_goaway_code_after_other_frames() {
        let settings = [0, 0, 0, 4, 0, 0, 0, 0, 0];
        let goaway = [0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1];
        assert_eq!(goaway_code(&[&settings[..], &goaway[..]].concat()), Some(1));
        assert_eq!(goaway_code(&settings), None);
        let both = [&settings[..], &goaway[..]].concat();
        assert_eq!(describe_frames(&both), "SETTINGS, GOAWAY(1)");
    }

    #[test]
    fn percent_decoding_restores_the_message() {
        assert_eq!(percent_decode(b"a%20b%E2%98%BA%"), "a b☺%");
    }

    #[test]
    fn frames_carry_a_big_endian_length() {
        assert_eq!(grpc_frame(b"ab"), [0, 0, 0, 0, 2, b'a', b'b']);
    }
}
