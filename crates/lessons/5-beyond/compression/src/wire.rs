// ANCHOR: head
//! Counting the bytes a connection really sends and receives.
//!
//! A client connects through [`counting_channel`]: a TCP connector whose sockets
//! count every byte written and read, HTTP/2 framing and headers included. Comparing
//! the counts of the same call with and without compression shows what it saves.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tonic::transport::{Channel, Endpoint, Uri};

/// Bytes written and read by every connection of one channel.
#[derive(Debug, Clone, Default)]
pub struct WireCount {
    sent: Arc<AtomicU64>,
    received: Arc<AtomicU64>,
}

impl WireCount {
    /// Bytes written to the sockets.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }

    /// Bytes read from the sockets.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::SeqCst)
    }
}

/// A socket that adds what passes through it to a [`WireCount`].
#[derive(Debug)]
struct Counting {
    inner: TcpStream,
    count: WireCount,
}

impl AsyncRead for Counting {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = (buf.filled().len() - before) as u64;
        self.count.received.fetch_add(read, Ordering::SeqCst);
        polled
    }
}

impl AsyncWrite for Counting {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(written)) = &polled {
            self.count.sent.fetch_add(*written as u64, Ordering::SeqCst);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
// ANCHOR_END: head

// ANCHOR: counting_channel
/// A channel to `url` whose connections count their bytes into the returned [`WireCount`].
pub async fn counting_channel(url: String) -> anyhow::Result<(Channel, WireCount)> {
    let count = WireCount::default();
    let for_connector = count.clone();
    let connector = tower::service_fn(move |uri: Uri| {
        let count = for_connector.clone();
        async move {
            let authority = uri
                .authority()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default();
            let inner = TcpStream::connect(authority).await?;
            inner.set_nodelay(true)?;
            Ok::<_, io::Error>(TokioIo::new(Counting { inner, count }))
        }
    });
    let channel = Endpoint::from_shared(url)?
        .connect_with_connector(connector)
        .await?;
    Ok((channel, count))
}
// ANCHOR_END: counting_channel
