//! A TCP proxy that records the HTTP/2 DATA frames a client sends, for tests that
//! count bytes on the wire: the client connects to [`DataFrames::addr`] instead of
//! the server, and [`DataFrames::wait_for_bytes`] returns once that many DATA
//! bytes have passed (an event, never a quiet spell).

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The client preface every HTTP/2 connection starts with.
const PREFACE_LEN: usize = 24;

/// One proxied connection's client-to-server DATA frames, their payload sizes in order.
#[derive(Debug)]
pub struct DataFrames {
    addr: SocketAddr,
    frames: watch::Receiver<Vec<usize>>,
    task: JoinHandle<()>,
}

impl DataFrames {
    /// Listens on a free local port and forwards its first connection to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("a bound address");
        let (record, frames) = watch::channel(Vec::new());
        let task = tokio::spawn(async move {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let Ok(server) = TcpStream::connect(upstream).await else {
                return;
            };
            let _ = (client.set_nodelay(true), server.set_nodelay(true));
            let (mut from_client, mut to_client) = client.into_split();
            let (mut from_server, mut to_server) = server.into_split();
            let back = tokio::spawn(async move {
                let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
            });
            let _ = forward(&mut from_client, &mut to_server, &record).await;
            let _ = to_server.shutdown().await;
            let _ = back.await;
        });
        Self { addr, frames, task }
    }

    /// Where the client should connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until `bytes` DATA bytes have gone through; returns the frames' sizes.
    pub async fn wait_for_bytes(&mut self, bytes: usize) -> Vec<usize> {
        self.frames
            .wait_for(|frames| frames.iter().sum::<usize>() >= bytes)
            .await
            .expect("the proxy is running")
            .clone()
    }
}

impl Drop for DataFrames {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Copies the client's bytes frame by frame, recording each DATA frame's size.
async fn forward(
    from: &mut (impl AsyncReadExt + Unpin),
    to: &mut (impl AsyncWriteExt + Unpin),
    record: &watch::Sender<Vec<usize>>,
) -> std::io::Result<()> {
    let mut preface = [0; PREFACE_LEN];
    from.read_exact(&mut preface).await?;
    to.write_all(&preface).await?;
    loop {
        let mut head = [0; 9];
        from.read_exact(&mut head).await?;
        let length = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
        let mut payload = vec![0; length];
        from.read_exact(&mut payload).await?;
        to.write_all(&head).await?;
        to.write_all(&payload).await?;
        if head[3] == 0 && length > 0 {
            record.send_modify(|frames| frames.push(length));
        }
    }
}

/// A TCP proxy that can play a vanished peer: until [`Blackhole::cut`] it
/// forwards both ways; after it, it swallows everything and closes nothing, as a
/// pulled cable or a frozen machine does (no FIN, no RST, no answer).
#[derive(Debug)]
pub struct Blackhole {
    addr: SocketAddr,
    cut: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Blackhole {
    /// Listens on a free local port and forwards its first connection to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("a bound address");
        let (cut, is_cut) = watch::channel(false);
        let task = tokio::spawn(async move {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let Ok(server) = TcpStream::connect(upstream).await else {
                return;
            };
            let (from_client, to_client) = client.into_split();
            let (from_server, to_server) = server.into_split();
            let up = tokio::spawn(pass(from_client, to_server, is_cut.clone()));
            pass(from_server, to_client, is_cut).await;
            let _ = up.await;
        });
        Self { addr, cut, task }
    }

    /// Where the client should connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// From now on nothing gets through, either way, and nothing is closed.
    pub fn cut(&self) {
        self.cut.send_replace(true);
    }
}

impl Drop for Blackhole {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Forwards `from` to `to` until cut; then reads and drops. Holds `to` open
/// until the proxy itself goes, whatever `from` does.
async fn pass(
    mut from: impl AsyncReadExt + Unpin,
    mut to: impl AsyncWriteExt + Unpin,
    is_cut: watch::Receiver<bool>,
) {
    let mut buffer = vec![0; 16 * 1024];
    loop {
        match from.read(&mut buffer).await {
            Ok(n) if n > 0 => {
                if !*is_cut.borrow() && to.write_all(&buffer[..n]).await.is_err() {
                    break;
                }
            }
            _ => break,
        }
    }
    // `from` ended: a vanished peer's other side would not hear of it.
    std::future::pending::<()>().await;
    drop(to);
}
