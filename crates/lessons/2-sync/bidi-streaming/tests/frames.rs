//! The flow-control page's byte counts, read off the wire: a proxy between the
//! lesson's client and server records the DATA frames the client sends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sync_bidi_streaming::client;
use sync_bidi_streaming::server::serve;
use sync_kit::run_blocking;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// The lengths of the non-empty DATA frames the client sent, in order, for a
/// run of `count` requests of `size` characters, the server first waiting
/// `initial_delay` before it reads.
async fn data_frames(count: usize, size: usize, initial_delay: Duration) -> Vec<usize> {
    let server = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = server.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(async move {
        serve(server, 10, initial_delay, Duration::ZERO, async {
            let _ = stopped.await;
        })
        .await
        .unwrap()
    });
    let proxy = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", proxy.local_addr().unwrap());
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = sent.clone();
    tokio::spawn(async move {
        let (client_side, _) = proxy.accept().await.unwrap();
        let server_side = TcpStream::connect(upstream).await.unwrap();
        let (mut from_client, mut to_client) = client_side.into_split();
        let (mut from_server, mut to_server) = server_side.into_split();
        tokio::spawn(async move { tokio::io::copy(&mut from_server, &mut to_client).await });
        let mut buffer = [0u8; 16 * 1024];
        loop {
            let n = from_client.read(&mut buffer).await.unwrap_or(0);
            if n == 0 || to_server.write_all(&buffer[..n]).await.is_err() {
                break;
            }
            record.lock().unwrap().extend_from_slice(&buffer[..n]);
        }
    });
    run_blocking(move || client::run(&url, count, size).map_err(anyhow::Error::from_boxed))
        .await
        .expect("the client runs");
    let _ = stop.send(());
    served.await.unwrap();

    let bytes = sent.lock().unwrap().clone();
    let preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    assert!(bytes.starts_with(preface), "an HTTP/2 connection");
    let (mut at, mut lengths) = (preface.len(), Vec::new());
    while at + 9 <= bytes.len() {
        let length = u32::from_be_bytes([0, bytes[at], bytes[at + 1], bytes[at + 2]]) as usize;
        if bytes[at + 3] == 0 && length > 0 {
            lengths.push(length); // type 0: DATA
        }
        at += 9 + length;
    }
    lengths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_request_of_4000_characters_is_one_4008_byte_frame() {
    assert_eq!(data_frames(3, 4000, Duration::ZERO).await, [4008; 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_16000_character_request_is_one_16008_byte_frame() {
    assert_eq!(data_frames(2, 16_000, Duration::ZERO).await, [16_008; 2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_17000_character_request_is_split_into_16384_and_625_bytes() {
    assert_eq!(data_frames(1, 17_000, Duration::ZERO).await, [16_384, 625]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_takes_16_whole_requests_and_1407_bytes_of_the_17th() {
    // The server reads nothing for 1 s (the client needs a few ms): the 65 535-byte window fills first.
    let frames = data_frames(25, 4000, Duration::from_secs(1)).await;
    let mut expected = vec![4008; 16];
    expected.push(1407);
    assert_eq!(frames[..17], expected[..], "{frames:?}");
    assert_eq!(frames.iter().sum::<usize>(), 25 * 4008);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_takes_65_whole_1000_character_requests_and_15_bytes() {
    // `--requests 100 --size 1000`: 1 008 bytes each, 65 535 = 65 × 1 008 + 15.
    let frames = data_frames(100, 1000, Duration::from_secs(1)).await;
    let mut expected = vec![1008; 65];
    expected.push(15);
    assert_eq!(frames[..66], expected[..], "{frames:?}");
    assert_eq!(frames.iter().sum::<usize>(), 100 * 1008);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_takes_4_whole_16000_character_requests_and_1503_bytes() {
    // `--size 16000`: 16 008 bytes each, 65 535 = 4 × 16 008 + 1 503.
    let frames = data_frames(10, 16_000, Duration::from_secs(1)).await;
    assert_eq!(
        frames[..5],
        [16_008, 16_008, 16_008, 16_008, 1503],
        "{frames:?}"
    );
    assert_eq!(frames.iter().sum::<usize>(), 10 * 16_008);
}
