//! A small gRPC load client for the benchmark shapes h2load cannot drive.
//!
//! h2load (the external, established tool) measures unary calls. It cannot read a
//! stream of gRPC messages or hold a ping-pong conversation, so this client does
//! those: [`stream`] counts server-streamed messages and bytes, [`pingpong`] times
//! bidi round trips. [`unary`] exists to validate the client: on unary, its numbers
//! are set beside h2load's in the same run, so a reader can see whether the client
//! itself is a bottleneck. Each command prints one JSON line ([`summary`]).

pub mod pingpong;
pub mod stream;
pub mod summary;
pub mod unary;

use tokio::task::JoinSet;
use tonic::transport::Channel;

pub use summary::{Summary, Window};

/// HTTP/2's largest flow-control window, 2^31 - 1 bytes.
pub const MAX_WINDOW: u32 = (1 << 31) - 1;

/// One HTTP/2 connection to `url` (each `connect` opens a new one).
pub async fn connect(url: &str) -> anyhow::Result<Channel> {
    connect_with(url, Tuning::default()).await
}

/// What the client advertises to the server, for the throughput experiments.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tuning {
    /// The largest HTTP/2 frame the client accepts (`None`: 16 KiB).
    pub max_frame_size: Option<u32>,
    /// The per-stream flow-control window (`None`: hyper's 2 MiB).
    pub stream_window: Option<u32>,
    /// Let hyper grow the windows from measured round trips (BDP probing).
    pub adaptive_window: bool,
}

/// [`connect`] with [`Tuning`]: larger frames let a server send a big message in
/// fewer frames, so in fewer writes; a larger stream window lets more bytes be in
/// flight before the server waits for a `WINDOW_UPDATE`.
///
/// The connection window is HTTP/2's largest. Per stream nothing changes (the
/// 2 MiB stream window still bounds the data in flight, and every load here runs
/// one stream per connection), but h2 ≥ 0.4.16 closes a connection with
/// `GOAWAY ENHANCE_YOUR_CALM "too_many_data_frames"` when unread DATA frames under
/// 256 bytes exceed a budget of half the connection window (RUSTSEC-2026-0258).
/// grpc-go and gRPC C++'s sync server send one DATA frame per small message, so
/// with tonic's default 5 MiB window a client that falls about 11 000 16-byte
/// messages behind is cut off; the larger window scales the budget with it.
pub async fn connect_with(url: &str, tuning: Tuning) -> anyhow::Result<Channel> {
    Ok(Channel::from_shared(url.to_owned())?
        .tcp_nodelay(true)
        .initial_connection_window_size(MAX_WINDOW)
        .initial_stream_window_size(tuning.stream_window)
        .http2_adaptive_window(tuning.adaptive_window)
        .max_frame_size(tuning.max_frame_size)
        .connect()
        .await?)
}

/// Waits for every load task and merges what they measured; the first error wins.
pub async fn gather(mut tasks: JoinSet<anyhow::Result<Summary>>) -> anyhow::Result<Summary> {
    let mut total = Summary::default();
    while let Some(done) = tasks.join_next().await {
        total.merge(done??);
    }
    Ok(total)
}
