//! Metadata round trips over a real socket, through the interceptor and both layers.

use lesson_kit::{Console, RunningServer};
use metadata::{call, serve_with};
use tonic::Code;
use tonic::transport::Channel;

async fn start() -> (RunningServer, Channel, Console) {
    let console = Console::capture();
    let running = RunningServer::start({
        let console = console.clone();
        move |listener, shutdown| serve_with(listener, console, shutdown)
    })
    .await
    .unwrap();
    let channel = Channel::from_shared(running.url(false))
        .unwrap()
        .connect()
        .await
        .unwrap();
    (running, channel, console)
}

#[tokio::test]
async fn request_metadata_comes_back_in_headers_and_trailers() {
    let (running, channel, console) = start().await;
    let returned = call(channel, Some("req-42"), "hello-there").await.unwrap();
    assert_eq!(returned.headers.get("x-request-id").unwrap(), "req-42");
    assert_eq!(
        returned.headers.get("x-echo-client").unwrap(),
        "hello-there"
    );
    assert_eq!(returned.messages.len(), 3);
    assert_eq!(
        returned.trailers.get("x-echo-client").unwrap(),
        "hello-there"
    );
    assert_eq!(returned.trailers.get("grpc-status").unwrap(), "0");
    // Only the echo layer writes trailers; the handler's header is not repeated there.
    assert!(returned.trailers.get("x-request-id").is_none());
    let lines = console.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0]
            .starts_with("server: /tutorial.helloworld.v2.GreeterService/SayHello -> grpc-status"),
        "{lines:?}"
    );
    running.stop().await.unwrap();
}

#[tokio::test]
async fn the_interceptor_makes_up_ids_and_rejects_bad_ones() {
    let (running, channel, console) = start().await;
    let first = call(channel.clone(), None, "x").await.unwrap();
    let second = call(channel.clone(), None, "x").await.unwrap();
    assert_eq!(first.headers.get("x-request-id").unwrap(), "server-1");
    assert_eq!(second.headers.get("x-request-id").unwrap(), "server-2");

    // A non-ASCII id (sent as raw bytes) is refused before the handler, and logged.
    use helloworld_proto::v2::{SayHelloRequest, greeter_service_client::GreeterServiceClient};
    let mut request = tonic::Request::new(SayHelloRequest {
        name: "Jack".into(),
    });
    let raw = tonic::metadata::MetadataValue::try_from(&b"caf\xc3\xa9"[..]).unwrap();
    request.metadata_mut().insert("x-request-id", raw);
    let status = GreeterServiceClient::new(channel.clone())
        .say_hello(request)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        console
            .lines()
            .iter()
            .any(|l| l.contains("-> grpc-status 3 in")),
        "{:?}",
        console.lines()
    );
    // And the server carries on.
    assert_eq!(
        call(channel, Some("ok"), "x").await.unwrap().messages.len(),
        3
    );
    running.stop().await.unwrap();
}
