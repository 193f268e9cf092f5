//! The Rust side of the streaming benchmarks.
//!
//! The streaming lessons mirror the tutorial (five greetings; a bidi stream that
//! sleeps to show back-pressure), so they have no message-size knob and their
//! sleeps would be all a benchmark measured. This server keeps the tutorial's
//! contract (`v2` and `v3` `GreeterService`) and makes the shape a parameter:
//!
//! - `v2.SayHello` (server streaming): the request name `"<size>x<count>"` asks for
//!   `count` responses whose `message` is `size` bytes;
//! - `v3.SayHello` (bidi): answers every request at once with `"Hello"`, the
//!   tutorial's reply, so a client can time round trips (ping-pong).
//!
//! `scripts/bench.d/py/servers.py` is the same server in Python, so the two
//! languages do the same work.

use std::pin::Pin;

use helloworld_proto::{v2, v3};
use tokio::net::TcpListener;
use tokio_stream::{Stream, StreamExt};
use tonic::transport::Server;
use tonic::{Request, Response, Status, Streaming};

/// The boxed response streams both services return.
pub type ReplyStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// The largest stream one request may ask for, in bytes, so a typo cannot exhaust memory.
pub const MAX_STREAM_BYTES: u64 = 16 << 30;

/// Reads `"<size>x<count>"`: the message size in bytes and how many messages.
pub fn parse_shape(name: &str) -> Option<(usize, u64)> {
    let (size, count) = name.split_once('x')?;
    let (size, count): (usize, u64) = (size.parse().ok()?, count.parse().ok()?);
    (size as u64 * count <= MAX_STREAM_BYTES).then_some((size, count))
}

/// Server streaming: `count` messages of `size` bytes.
#[derive(Debug, Default, Clone)]
pub struct SizedStreams;

#[tonic::async_trait]
impl v2::greeter_service_server::GreeterService for SizedStreams {
    type SayHelloStream = ReplyStream<v2::SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<v2::SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let name = request.into_inner().name;
        let (size, count) = parse_shape(&name)
            .ok_or_else(|| Status::invalid_argument("name must be <size>x<count>"))?;
        let reply = v2::SayHelloResponse {
            message: "x".repeat(size),
        };
        let replies = std::iter::repeat_n(reply, count as usize).map(Ok);
        Ok(Response::new(Box::pin(tokio_stream::iter(replies))))
    }
}

/// Bidi streaming: one immediate `"Hello"` per request.
#[derive(Debug, Default, Clone)]
pub struct PingPong;

#[tonic::async_trait]
impl v3::greeter_service_server::GreeterService for PingPong {
    type SayHelloStream = ReplyStream<v3::SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<Streaming<v3::SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let pongs = request.into_inner().map(|ping| {
            ping.map(|_| v3::SayHelloResponse {
                message: "Hello".into(),
            })
        });
        Ok(Response::new(Box::pin(pongs)))
    }
}

/// Serves both services on `listener` until the process ends.
pub async fn serve(listener: TcpListener) -> anyhow::Result<()> {
    Server::builder()
        .add_service(v2::greeter_service_server::GreeterServiceServer::new(
            SizedStreams,
        ))
        .add_service(v3::greeter_service_server::GreeterServiceServer::new(
            PingPong,
        ))
        .serve_with_incoming(lesson_kit::server::incoming(listener))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn shapes_parse_and_are_bounded() {
        assert_eq!(super::parse_shape("16x1000"), Some((16, 1000)));
        assert_eq!(super::parse_shape("Jack"), None);
        assert_eq!(super::parse_shape("1048576x1000000"), None);
    }
}
