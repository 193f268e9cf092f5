//! The windows tonic takes from hyper when a lesson sets none, read off the wire:
//! a server advertises 1 MiB per stream and per connection, a client 2 MiB per
//! stream and 5 MiB per connection (the connection window grows from HTTP/2's
//! 65 535 by a WINDOW_UPDATE on stream 0).

use helloworld_proto::v3::greeter_service_server::GreeterServiceServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tonic::transport::{Endpoint, Server};

const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const DEFAULT_WINDOW: u32 = 65_535;
const SETTINGS_INITIAL_WINDOW_SIZE: u16 = 0x4;

/// What a peer's first frames say: its SETTINGS_INITIAL_WINDOW_SIZE (the stream
/// window) and the connection window after its first WINDOW_UPDATE on stream 0.
async fn advertised_windows(socket: &mut TcpStream, skip_preface: bool) -> (u32, u32) {
    let mut bytes = Vec::new();
    let mut at = if skip_preface { PREFACE.len() } else { 0 };
    let (mut stream_window, mut connection_window) = (None, None);
    while stream_window.is_none() || connection_window.is_none() {
        while bytes.len() < at + 9
            || bytes.len()
                < at + 9 + u32::from_be_bytes([0, bytes[at], bytes[at + 1], bytes[at + 2]]) as usize
        {
            let mut buffer = [0u8; 4096];
            let n = socket.read(&mut buffer).await.unwrap();
            assert!(n > 0, "the peer closed before advertising its windows");
            bytes.extend_from_slice(&buffer[..n]);
        }
        let length = u32::from_be_bytes([0, bytes[at], bytes[at + 1], bytes[at + 2]]) as usize;
        let (kind, flags) = (bytes[at + 3], bytes[at + 4]);
        let stream = u32::from_be_bytes(bytes[at + 5..at + 9].try_into().unwrap()) & 0x7fff_ffff;
        let payload = &bytes[at + 9..at + 9 + length];
        match kind {
            // SETTINGS, not an ACK: six-byte (id, value) pairs.
            0x4 if flags & 0x1 == 0 => {
                for setting in payload.chunks(6) {
                    let id = u16::from_be_bytes([setting[0], setting[1]]);
                    if id == SETTINGS_INITIAL_WINDOW_SIZE {
                        stream_window = Some(u32::from_be_bytes(setting[2..6].try_into().unwrap()));
                    }
                }
                // A SETTINGS frame without the entry keeps the default.
                stream_window.get_or_insert(DEFAULT_WINDOW);
            }
            // WINDOW_UPDATE on the connection.
            0x8 if stream == 0 => {
                let increment = u32::from_be_bytes(payload.try_into().unwrap()) & 0x7fff_ffff;
                connection_window = Some(DEFAULT_WINDOW + increment);
            }
            _ => {}
        }
        at += 9 + length;
    }
    (stream_window.unwrap(), connection_window.unwrap())
}

#[tokio::test]
async fn a_tonic_server_advertises_hypers_1_mib_windows() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = GreeterServiceServer::new(sync_bidi_streaming::server::Greeter::default());
    let serving = tokio::spawn(
        Server::builder()
            .add_service(service)
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
    );
    let mut socket = TcpStream::connect(addr).await.unwrap();
    socket.write_all(PREFACE).await.unwrap();
    socket
        .write_all(&[0, 0, 0, 0x4, 0, 0, 0, 0, 0])
        .await
        .unwrap(); // empty SETTINGS
    assert_eq!(
        advertised_windows(&mut socket, false).await,
        (1 << 20, 1 << 20)
    );
    serving.abort();
}

#[tokio::test]
async fn a_tonic_client_advertises_hypers_2_mib_and_5_mib_windows() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connecting =
        tokio::spawn(async move { Endpoint::from_shared(url).unwrap().connect().await });
    let (mut socket, _) = listener.accept().await.unwrap();
    assert_eq!(
        advertised_windows(&mut socket, true).await,
        (2 << 20, 5 << 20)
    );
    connecting.abort();
}
