//! Calls in flight across a shutdown: started at once on one channel, counted.

use helloworld_proto::{v1, v2};
use tonic::transport::Channel;

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
