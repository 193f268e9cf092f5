//! The client half: calls in flight across a shutdown, counted.

use std::time::Duration;

use helloworld_proto::{v1, v2};
use lesson_kit::Console;
use tonic::transport::{Channel, Endpoint};

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Unary calls started at once.
    #[arg(long, default_value_t = 3)]
    pub unary: usize,
    /// Streams opened at once.
    #[arg(long, default_value_t = 1)]
    pub streams: usize,
    /// After the calls finish, wait this long and try a new connection.
    #[arg(long, default_value = "100ms")]
    pub then_connect_after: humantime::Duration,
}

/// What the client got back.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// Unary calls answered with OK.
    pub unary_ok: usize,
    /// Streamed messages received, over all streams.
    pub streamed: usize,
    /// Streams that ended with OK.
    pub streams_ok: usize,
}

// ANCHOR: in_flight
/// Runs `unary` calls and `streams` streams at once on `channel`; counts what arrived.
pub async fn calls_in_flight(channel: Channel, unary: usize, streams: usize) -> Received {
    let unary_calls = (0..unary).map(|i| {
        let mut client = v1::greeter_service_client::GreeterServiceClient::new(channel.clone());
        async move {
            let request = v1::SayHelloRequest {
                name: format!("caller {i}"),
            };
            client.say_hello(request).await.is_ok()
        }
    });
    let stream_calls = (0..streams).map(|i| {
        let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel.clone());
        async move {
            let request = v2::SayHelloRequest {
                name: format!("streamer {i}"),
            };
            let Ok(response) = client.say_hello(request).await else {
                return (0, false);
            };
            let mut stream = response.into_inner();
            let mut received = 0;
            loop {
                match stream.message().await {
                    Ok(Some(_)) => received += 1,
                    Ok(None) => return (received, true),
                    Err(_) => return (received, false),
                }
            }
        }
    });
    let (unary, streams) = tokio::join!(
        futures::future::join_all(unary_calls),
        futures::future::join_all(stream_calls)
    );
    Received {
        unary_ok: unary.iter().filter(|ok| **ok).count(),
        streamed: streams.iter().map(|(n, _)| n).sum(),
        streams_ok: streams.iter().filter(|(_, ok)| *ok).count(),
    }
}
// ANCHOR_END: in_flight

/// The demo: calls across the server's shutdown, then a refused new connection.
pub async fn run(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
    let channel = Endpoint::from_shared(url.clone())?.connect().await?;
    let received = calls_in_flight(channel, flags.unary, flags.streams).await;
    console.line(format!(
        "client: {}/{} unary calls answered, {}/{} streams complete, {} messages streamed",
        received.unary_ok, flags.unary, received.streams_ok, flags.streams, received.streamed
    ));
    tokio::time::sleep(flags.then_connect_after.into()).await;
    let fresh = Endpoint::from_shared(url)?
        .connect_timeout(Duration::from_secs(1))
        .connect()
        .await;
    match fresh {
        Ok(_) => console.line("client: a new connection was accepted (the server is still up)"),
        Err(error) => console.line(format!("client: a new connection failed: {error}")),
    }
    Ok(())
}
