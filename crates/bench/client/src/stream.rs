//! Server-streaming throughput: streams of `count` messages of `size` bytes,
//! asked for back to back on each connection, counted as they arrive.

use std::time::Instant;

use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use tokio::task::JoinSet;

use crate::{Summary, Tuning, Window, connect_with, gather};

/// The shape of a streaming run.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Concurrent streams, each on its own connection.
    pub connections: usize,
    /// Bytes per message.
    pub size: usize,
    /// Messages per stream.
    pub count: u64,
    /// Frame size and windows the client advertises.
    pub tuning: Tuning,
}

/// Runs `shape.connections` streaming loops over `window` against a bench stream
/// server (`bench-stream-server` or `servers.py`, which read the name `"<size>x<count>"`).
pub async fn run(url: &str, shape: Shape, window: Window) -> anyhow::Result<Summary> {
    let Shape {
        connections,
        size,
        count,
        tuning,
    } = shape;
    let mut tasks = JoinSet::new();
    for _ in 0..connections {
        let channel = connect_with(url, tuning).await?;
        let mut client = GreeterServiceClient::new(channel).max_decoding_message_size(size + 64);
        let name = format!("{size}x{count}");
        tasks.spawn(async move {
            let mut summary = Summary::default();
            'run: while !window.is_over() {
                let request = SayHelloRequest { name: name.clone() };
                let mut replies = client.say_hello(request).await?.into_inner();
                while let Some(reply) = replies.message().await? {
                    anyhow::ensure!(reply.message.len() == size, "wrong message size");
                    let now = Instant::now();
                    if now >= window.until {
                        break 'run; // dropping `replies` cancels the stream
                    }
                    if now >= window.from {
                        summary.count += 1;
                        summary.bytes += size as u64;
                    }
                }
            }
            Ok(summary)
        });
    }
    gather(tasks).await
}
