//! A tiny HTTP/2 frame writer and reader: the attacks send frame sequences no
//! real client library would (the `h2` crate refuses to), so they are written
//! byte by byte here, per RFC 9113 §4 and RFC 7541 (HPACK, no Huffman).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;

pub use reliability::raw::PREFACE;

/// Frame types used by the attacks.
pub mod kind {
    /// DATA.
    pub const DATA: u8 = 0x0;
    /// HEADERS.
    pub const HEADERS: u8 = 0x1;
    /// RST_STREAM.
    pub const RST_STREAM: u8 = 0x3;
    /// SETTINGS.
    pub const SETTINGS: u8 = 0x4;
    /// PING.
    pub const PING: u8 = 0x6;
    /// GOAWAY.
    pub const GOAWAY: u8 = 0x7;
    /// WINDOW_UPDATE.
    pub const WINDOW_UPDATE: u8 = 0x8;
    /// CONTINUATION.
    pub const CONTINUATION: u8 = 0x9;
}

/// END_STREAM (DATA, HEADERS).
pub const END_STREAM: u8 = 0x1;
/// END_HEADERS (HEADERS, CONTINUATION).
pub const END_HEADERS: u8 = 0x4;
/// ACK (SETTINGS, PING).
pub const ACK: u8 = 0x1;
/// The CANCEL error code.
pub const CANCEL: u32 = 0x8;

/// One frame: 24-bit length, type, flags, 31-bit stream id, payload.
pub fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let len = payload.len() as u32;
    let mut out = Vec::with_capacity(9 + payload.len());
    out.extend_from_slice(&len.to_be_bytes()[1..]);
    out.push(kind);
    out.push(flags);
    out.extend_from_slice(&(stream & 0x7fff_ffff).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// A SETTINGS frame carrying `(id, value)` pairs.
pub fn settings(pairs: &[(u16, u32)]) -> Vec<u8> {
    let mut payload = Vec::new();
    for (id, value) in pairs {
        payload.extend_from_slice(&id.to_be_bytes());
        payload.extend_from_slice(&value.to_be_bytes());
    }
    frame(kind::SETTINGS, 0, 0, &payload)
}

/// RST_STREAM with `code`.
pub fn rst_stream(stream: u32, code: u32) -> Vec<u8> {
    frame(kind::RST_STREAM, 0, stream, &code.to_be_bytes())
}

/// WINDOW_UPDATE by `increment`.
pub fn window_update(stream: u32, increment: u32) -> Vec<u8> {
    frame(kind::WINDOW_UPDATE, 0, stream, &increment.to_be_bytes())
}

/// An HPACK integer with an `n`-bit prefix, the first byte's high bits `flags`.
pub fn hpack_int(flags: u8, n: u32, value: usize) -> Vec<u8> {
    let max = (1usize << n) - 1;
    if value < max {
        return vec![flags | value as u8];
    }
    let mut out = vec![flags | max as u8];
    let mut rest = value - max;
    while rest >= 128 {
        out.push((rest % 128) as u8 | 0x80);
        rest /= 128;
    }
    out.push(rest as u8);
    out
}

/// An HPACK string literal, not Huffman-coded.
pub fn hpack_string(bytes: &[u8]) -> Vec<u8> {
    let mut out = hpack_int(0, 7, bytes.len());
    out.extend_from_slice(bytes);
    out
}

/// A literal header field without indexing, new name.
pub fn literal(name: &str, value: &[u8]) -> Vec<u8> {
    let mut out = vec![0x00];
    out.extend(hpack_string(name.as_bytes()));
    out.extend(hpack_string(value));
    out
}

/// A literal header field *with incremental indexing*: it enters the dynamic table.
pub fn literal_indexed(name: &str, value: &[u8]) -> Vec<u8> {
    let mut out = vec![0x40];
    out.extend(hpack_string(name.as_bytes()));
    out.extend(hpack_string(value));
    out
}

/// The header block of a gRPC POST to `path`, plus `extra` headers.
pub fn request_block(authority: &str, path: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut block = vec![0x83, 0x86]; // :method POST, :scheme http (static table)
    block.extend(hpack_int(0, 4, 4)); // :path, name from the static table
    block.extend(hpack_string(path.as_bytes()));
    block.extend(hpack_int(0, 4, 1)); // :authority
    block.extend(hpack_string(authority.as_bytes()));
    block.extend(literal("content-type", b"application/grpc"));
    block.extend(literal("te", b"trailers"));
    for (name, value) in extra {
        block.extend(literal(name, value.as_bytes()));
    }
    block
}

/// The name of an HTTP/2 error code.
pub fn reason(code: u32) -> String {
    let name = match code {
        0x0 => "NO_ERROR",
        0x1 => "PROTOCOL_ERROR",
        0x2 => "INTERNAL_ERROR",
        0x3 => "FLOW_CONTROL_ERROR",
        0x4 => "SETTINGS_TIMEOUT",
        0x5 => "STREAM_CLOSED",
        0x6 => "FRAME_SIZE_ERROR",
        0x7 => "REFUSED_STREAM",
        0x8 => "CANCEL",
        0x9 => "COMPRESSION_ERROR",
        0xa => "CONNECT_ERROR",
        0xb => "ENHANCE_YOUR_CALM",
        0xc => "INADEQUATE_SECURITY",
        0xd => "HTTP_1_1_REQUIRED",
        other => return format!("code {other}"),
    };
    name.to_owned()
}

/// What the server sent an attacker, tallied by a reader task.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// The first GOAWAY's error code.
    pub goaway: Option<u32>,
    /// RST_STREAM codes received, with counts.
    pub resets: BTreeMap<u32, u64>,
    /// HEADERS frames received (responses started).
    pub headers: u64,
    /// PING ACKs received.
    pub pongs: u64,
    /// SETTINGS ACKs received.
    pub settings_acks: u64,
    /// Whether the server closed (or reset) the TCP connection.
    pub closed: bool,
}

impl Seen {
    /// `GOAWAY(ENHANCE_YOUR_CALM), RST_STREAM REFUSED_STREAM x3, closed`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(code) = self.goaway {
            parts.push(format!("GOAWAY {}", reason(code)));
        }
        for (code, count) in &self.resets {
            parts.push(format!("RST_STREAM {} x{count}", reason(*code)));
        }
        if self.closed {
            parts.push("connection closed".into());
        }
        if parts.is_empty() {
            parts.push("no GOAWAY, no reset, left open".into());
        }
        parts.join(", ")
    }
}

/// A raw HTTP/2 connection: the attacker writes, a task reads and tallies.
pub struct Raw {
    writer: OwnedWriteHalf,
    seen: Arc<Mutex<Seen>>,
    reader: tokio::task::JoinHandle<()>,
}

/// How long one write may block (a server that stopped reading) before the
/// attacker gives up on the connection.
const WRITE_BOUND: Duration = Duration::from_secs(2);

impl Raw {
    /// Connects and sends `hello` (e.g. the preface and a SETTINGS frame); the
    /// reader task ACKs nothing: call [`Raw::send`] with what the attack wants.
    pub async fn open(addr: &str, hello: &[u8]) -> anyhow::Result<Self> {
        let socket = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(addr))
            .await
            .context("connect: timed out")??;
        let (mut read, mut writer) = socket.into_split();
        writer.write_all(hello).await?;
        let seen = Arc::new(Mutex::new(Seen::default()));
        let tally = seen.clone();
        let reader = tokio::spawn(async move {
            let mut buf = Vec::new();
            let mut chunk = vec![0u8; 64 * 1024];
            loop {
                match read.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
                let mut used = 0;
                while buf.len() - used >= 9 {
                    let head = &buf[used..];
                    let len = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
                    if head.len() < 9 + len {
                        break;
                    }
                    let (kind_, flags, payload) = (head[3], head[4], &head[9..9 + len]);
                    let mut seen = tally.lock().unwrap();
                    match kind_ {
                        kind::GOAWAY if payload.len() >= 8 && seen.goaway.is_none() => {
                            let c = &payload[4..8];
                            seen.goaway = Some(u32::from_be_bytes([c[0], c[1], c[2], c[3]]));
                        }
                        kind::RST_STREAM if payload.len() >= 4 => {
                            let c = u32::from_be_bytes([
                                payload[0], payload[1], payload[2], payload[3],
                            ]);
                            *seen.resets.entry(c).or_default() += 1;
                        }
                        kind::HEADERS => seen.headers += 1,
                        kind::PING if flags & ACK != 0 => seen.pongs += 1,
                        kind::SETTINGS if flags & ACK != 0 => seen.settings_acks += 1,
                        _ => {}
                    }
                    used += 9 + len;
                }
                buf.drain(..used);
            }
            tally.lock().unwrap().closed = true;
        });
        Ok(Self {
            writer,
            seen,
            reader,
        })
    }

    /// The preface, our SETTINGS (`settings`), and an ACK of the server's.
    pub async fn handshake(addr: &str, our_settings: &[(u16, u32)]) -> anyhow::Result<Self> {
        let hello = [
            PREFACE,
            &settings(our_settings),
            &frame(kind::SETTINGS, ACK, 0, &[]),
        ]
        .concat();
        Self::open(addr, &hello).await
    }

    /// Writes `bytes`; `false` once the server stopped reading or closed.
    pub async fn send(&mut self, bytes: &[u8]) -> bool {
        matches!(
            tokio::time::timeout(WRITE_BOUND, self.writer.write_all(bytes)).await,
            Ok(Ok(()))
        )
    }

    /// What the server has sent so far.
    pub fn seen(&self) -> Seen {
        self.seen.lock().unwrap().clone()
    }

    /// Waits (at most `limit`) for the server to close the connection.
    pub async fn closed_within(&self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        let mut tick = tokio::time::interval(Duration::from_millis(10));
        while tokio::time::Instant::now() < deadline {
            tick.tick().await;
            if self.seen.lock().unwrap().closed {
                return true;
            }
        }
        false
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hpack_integers_follow_rfc_7541_c_1() {
        // C.1.1: 10 with a 5-bit prefix; C.1.2: 1337 with a 5-bit prefix.
        assert_eq!(hpack_int(0, 5, 10), [10]);
        assert_eq!(hpack_int(0, 5, 1337), [31, 154, 10]);
    }

    #[test]
    fn a_frame_has_a_nine_byte_header() {
        let f = rst_stream(3, CANCEL);
        assert_eq!(f, [0, 0, 4, 3, 0, 0, 0, 0, 3, 0, 0, 0, 8]);
    }

    #[test]
    fn a_literal_header_is_length_prefixed() {
        assert_eq!(
            literal("te", b"trailers"),
            [
                0, 2, b't', b'e', 8, b't', b'r', b'a', b'i', b'l', b'e', b'r', b's'
            ]
        );
    }
}
