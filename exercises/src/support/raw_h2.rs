//! A hand-driven HTTP/2 client, frame by frame, for tests that must see what a
//! server does on the wire (its announced windows, its PINGs, how it answers a
//! peer that sends too much) and that tonic's own client would hide or prevent.
//!
//! Nothing here waits for "a while": [`RawH2::barrier`] sends a PING and reads
//! until its acknowledgement, twice, so every frame the server sent in answer to
//! what came before has arrived by then.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Frame types (RFC 9113, section 6).
pub const DATA: u8 = 0;
pub const HEADERS: u8 = 1;
pub const RST_STREAM: u8 = 3;
pub const SETTINGS: u8 = 4;
pub const PING: u8 = 6;
pub const GOAWAY: u8 = 7;
pub const WINDOW_UPDATE: u8 = 8;
/// Flags.
pub const ACK: u8 = 0x1;
pub const END_HEADERS: u8 = 0x4;
/// The error code of a peer that sent more than the window allowed.
pub const FLOW_CONTROL_ERROR: u32 = 3;
/// The SETTINGS identifier of the stream window.
pub const SETTINGS_INITIAL_WINDOW_SIZE: u16 = 4;
/// HTTP/2's window before any SETTINGS or WINDOW_UPDATE changes it.
pub const DEFAULT_WINDOW: u32 = 65_535;
/// The largest DATA frame a peer may send before SETTINGS say otherwise.
const MAX_FRAME: usize = 16_384;

/// One frame as read from the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub kind: u8,
    pub flags: u8,
    pub stream: u32,
    pub payload: Vec<u8>,
}

impl Frame {
    /// The error code of a GOAWAY or RST_STREAM frame.
    pub fn error_code(&self) -> Option<u32> {
        let at = match self.kind {
            GOAWAY => 4,
            RST_STREAM => 0,
            _ => return None,
        };
        let bytes = self.payload.get(at..at + 4)?;
        Some(u32::from_be_bytes(bytes.try_into().ok()?))
    }
}

/// An HTTP/2 connection this side drives by hand.
#[derive(Debug)]
pub struct RawH2 {
    socket: TcpStream,
    /// Every frame read so far, in order.
    pub seen: Vec<Frame>,
    /// Whether the server has closed the connection.
    pub closed: bool,
    pings: u64,
}

impl RawH2 {
    /// Connects and sends the client preface and an empty SETTINGS frame.
    pub async fn connect(addr: SocketAddr) -> io::Result<Self> {
        let socket = TcpStream::connect(addr).await?;
        socket.set_nodelay(true)?;
        let mut this = Self {
            socket,
            seen: Vec::new(),
            closed: false,
            pings: 0,
        };
        this.socket
            .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
            .await?;
        this.send(SETTINGS, 0, 0, &[]).await?;
        Ok(this)
    }

    /// Writes one frame.
    pub async fn send(
        &mut self,
        kind: u8,
        flags: u8,
        stream: u32,
        payload: &[u8],
    ) -> io::Result<()> {
        let length = u32::try_from(payload.len()).expect("a small frame");
        let mut frame = length.to_be_bytes()[1..].to_vec();
        frame.extend([kind, flags]);
        frame.extend((stream & 0x7fff_ffff).to_be_bytes());
        frame.extend(payload);
        self.socket.write_all(&frame).await
    }

    /// Reads the next frame, or `None` once the server has closed the connection.
    pub async fn read(&mut self) -> io::Result<Option<Frame>> {
        let mut head = [0; 9];
        match self.socket.read_exact(&mut head).await {
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset
                ) =>
            {
                self.closed = true;
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
        let length = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
        let mut payload = vec![0; length];
        if let Err(e) = self.socket.read_exact(&mut payload).await {
            self.closed = true;
            return if e.kind() == io::ErrorKind::UnexpectedEof {
                Ok(None)
            } else {
                Err(e)
            };
        }
        let frame = Frame {
            kind: head[3],
            flags: head[4],
            stream: u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff,
            payload,
        };
        self.seen.push(frame.clone());
        Ok(Some(frame))
    }

    /// Acknowledges the server's SETTINGS, as a well-behaved peer does.
    pub async fn ack_settings(&mut self) -> io::Result<()> {
        self.send(SETTINGS, ACK, 0, &[]).await
    }

    /// Opens stream `stream` with a gRPC POST to `path` (HPACK literals, no
    /// compression table, no Huffman: plain bytes).
    pub async fn open(&mut self, stream: u32, path: &str) -> io::Result<()> {
        let mut block = Vec::new();
        for (name, value) in [
            (":method", "POST"),
            (":scheme", "http"),
            (":path", path),
            (":authority", "localhost"),
            ("content-type", "application/grpc"),
            ("te", "trailers"),
        ] {
            // "Literal header field without indexing, new name" (RFC 7541, 6.2.2).
            block.push(0);
            for text in [name, value] {
                assert!(text.len() < 127, "a short header");
                block.push(text.len() as u8);
                block.extend(text.as_bytes());
            }
        }
        self.send(HEADERS, END_HEADERS, stream, &block).await
    }

    /// Sends `bytes` zero bytes of DATA on `stream`, in frames of the default size.
    pub async fn send_data(&mut self, stream: u32, bytes: usize) -> io::Result<()> {
        let chunk = vec![0; MAX_FRAME];
        let mut left = bytes;
        while left > 0 {
            let n = left.min(MAX_FRAME);
            self.send(DATA, 0, stream, &chunk[..n]).await?;
            left -= n;
        }
        Ok(())
    }

    /// Sends a PING and reads until its acknowledgement (or the end of the
    /// connection); returns whether it was acknowledged. The server's PINGs met
    /// on the way are answered only if `answer_pings`.
    async fn ping_round_trip(&mut self, answer_pings: bool) -> io::Result<bool> {
        self.pings += 1;
        let opaque = (u64::MAX - self.pings).to_be_bytes();
        self.send(PING, 0, 0, &opaque).await?;
        while let Some(frame) = self.read().await? {
            match (frame.kind, frame.flags & ACK) {
                (PING, ACK) if frame.payload == opaque => return Ok(true),
                (PING, 0) if answer_pings => self.send(PING, ACK, 0, &frame.payload).await?,
                _ => {}
            }
        }
        Ok(false)
    }

    /// Two PING round trips: a server writes what it owes for earlier frames
    /// before it can answer the second PING. Returns false if the connection
    /// ended first.
    pub async fn barrier(&mut self) -> io::Result<bool> {
        Ok(self.ping_round_trip(true).await? && self.ping_round_trip(true).await?)
    }

    /// The stream window the server announced (HTTP/2's default if it did not).
    pub fn announced_stream_window(&self) -> u32 {
        let mut window = DEFAULT_WINDOW;
        for frame in self
            .seen
            .iter()
            .filter(|f| f.kind == SETTINGS && f.flags & ACK == 0)
        {
            for setting in frame.payload.chunks_exact(6) {
                if u16::from_be_bytes([setting[0], setting[1]]) == SETTINGS_INITIAL_WINDOW_SIZE {
                    window = u32::from_be_bytes([setting[2], setting[3], setting[4], setting[5]]);
                }
            }
        }
        window
    }

    /// The connection window the server opened: the default plus every
    /// WINDOW_UPDATE on stream 0 so far.
    pub fn announced_connection_window(&self) -> u64 {
        let updates: u64 = self
            .seen
            .iter()
            .filter(|f| f.kind == WINDOW_UPDATE && f.stream == 0 && f.payload.len() == 4)
            .map(|f| {
                u64::from(u32::from_be_bytes(f.payload[..4].try_into().unwrap()) & 0x7fff_ffff)
            })
            .sum();
        u64::from(DEFAULT_WINDOW) + updates
    }

    /// The first GOAWAY or RST_STREAM seen with `code`, if any.
    pub fn refusal(&self, code: u32) -> Option<&Frame> {
        self.seen.iter().find(|f| f.error_code() == Some(code))
    }
}
