//! Compression over a real socket, bytes counted on the wire.

use compression::wire::counting_channel;
use compression::{call, serve_with};
use lesson_kit::RunningServer;
use tonic::Code;
use tonic::codec::CompressionEncoding::{self, Gzip, Zstd};

async fn start(accept: Vec<CompressionEncoding>) -> RunningServer {
    RunningServer::start(move |listener, shutdown| async move {
        serve_with(listener, &accept, shutdown).await
    })
    .await
    .unwrap()
}

/// Bytes (sent, received) for one call on a fresh connection.
async fn measure(url: &str, encoding: Option<CompressionEncoding>) -> (u64, u64) {
    let (channel, count) = counting_channel(url.to_owned()).await.unwrap();
    let len = call(channel, encoding, "Jack ".repeat(2000)).await.unwrap();
    assert_eq!(len, "Hello, !".len() + 10_000);
    (count.sent(), count.received())
}

#[tokio::test]
async fn compression_shrinks_a_repetitive_payload_both_ways() {
    let running = start(vec![Gzip, Zstd]).await;
    let url = running.url(false);
    let (plain_sent, plain_received) = measure(&url, None).await;
    assert!(plain_sent > 10_000 && plain_received > 10_000);
    for encoding in [Gzip, Zstd] {
        let (sent, received) = measure(&url, Some(encoding)).await;
        // 10 kB of "Jack Jack ..." compresses to well under a kilobyte.
        assert!(
            sent + 9_000 < plain_sent,
            "{encoding:?}: {sent} vs {plain_sent}"
        );
        assert!(
            received + 9_000 < plain_received,
            "{encoding:?}: {received} vs {plain_received}"
        );
    }
    running.stop().await.unwrap();
}

#[tokio::test]
async fn an_encoding_the_server_does_not_accept_is_unimplemented() {
    let running = start(vec![Gzip]).await;
    let (channel, _) = counting_channel(running.url(false)).await.unwrap();
    let status = call(channel.clone(), Some(Zstd), "Jack".into())
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unimplemented, "{status:?}");
    assert!(status.message().contains("zstd"), "{status:?}");
    // The server carries on, with what it does accept.
    assert_eq!(call(channel, Some(Gzip), "Jack".into()).await.unwrap(), 12);
    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_server_that_sends_uncompressed_still_answers_a_compressing_client() {
    // No encodings on the server: a client that only *accepts* gzip gets plain replies.
    let running = start(vec![]).await;
    let (channel, _) = counting_channel(running.url(false)).await.unwrap();
    let client = helloworld_proto::v1::greeter_service_client::GreeterServiceClient::new(channel)
        .accept_compressed(Gzip);
    let reply = client
        .clone()
        .say_hello(helloworld_proto::v1::SayHelloRequest {
            name: "Jack".into(),
        })
        .await
        .unwrap();
    assert_eq!(reply.into_inner().message, "Hello, Jack!");
    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_compresses_before_it_knows_and_a_server_without_gzip_refuses() {
    // The client has not heard the server's grpc-accept-encoding when it sends its
    // request: it compresses anyway, and a server accepting nothing says UNIMPLEMENTED.
    let running = start(vec![]).await;
    let (channel, _) = counting_channel(running.url(false)).await.unwrap();
    let mut client =
        helloworld_proto::v1::greeter_service_client::GreeterServiceClient::new(channel.clone())
            .send_compressed(Gzip);
    let status = client
        .say_hello(helloworld_proto::v1::SayHelloRequest {
            name: "Jack".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unimplemented, "{status:?}");
    assert!(status.message().contains("gzip"), "{status:?}");
    // ... and says what it does accept: nothing but identity.
    let accepted = status.metadata().get("grpc-accept-encoding").unwrap();
    assert_eq!(accepted, "identity");
    // Uncompressed, the same server answers on the same connection.
    assert_eq!(call(channel, None, "Jack".into()).await.unwrap(), 12);
    running.stop().await.unwrap();
}
