//! The async server-streaming lesson over real sockets: the tutorial's three
//! lines (printed by the real binary), the count flag, a client hanging up
//! mid-stream, graceful shutdown.

use std::time::Duration;

use async_server_streaming::{Greeter, server};
use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::GreeterServiceServer;
use lesson_kit::testing::run_binary;
use lesson_kit::{InFlight, InFlightLayer, RunningServer};
use tokio::time::timeout;
use tonic::transport::Server;

/// How long a wait that should end promptly may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(10);

/// The listed server, streaming `count` greetings per call, `delay` apart.
async fn start(count: u32, message_delay: Duration) -> RunningServer {
    let greeter = Greeter {
        count,
        message_delay,
    };
    RunningServer::start(move |listener, shutdown| async move {
        server::serve(listener, greeter, shutdown.wait()).await?;
        Ok(())
    })
    .await
    .expect("server starts")
}

/// The lesson binary's client against `server`: its printed lines.
async fn client_lines(server: &RunningServer, name: &str) -> Vec<String> {
    let url = server.url(false);
    let args = ["client", "--addr", url.as_str(), "--name", name];
    let output = run_binary(env!("CARGO_BIN_EXE_async-server-streaming"), args).await;
    assert!(output.success, "{}", output.stderr);
    output.lines
}

#[tokio::test]
async fn prints_the_tutorial_lines() {
    let server = start(3, Duration::ZERO).await;
    assert_eq!(
        client_lines(&server, "jack").await,
        [
            "Greeter client received: Hello number 0, jack!",
            "Greeter client received: Hello number 1, jack!",
            "Greeter client received: Hello number 2, jack!",
        ]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_count_and_the_name_are_taken_as_given() {
    let server = start(5, Duration::ZERO).await;
    let lines = client_lines(&server, "世界").await;
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4], "Greeter client received: Hello number 4, 世界!");
    server.stop().await.unwrap();

    let server = start(0, Duration::ZERO).await;
    assert!(client_lines(&server, "").await.is_empty());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_one_mebibyte_name_comes_back_in_every_greeting() {
    let server = start(2, Duration::ZERO).await;
    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let big = "x".repeat(1024 * 1024);
    let request = SayHelloRequest { name: big.clone() };
    let mut greetings = client.say_hello(request).await.unwrap().into_inner();
    let mut got = Vec::new();
    while let Some(greeting) = greetings.message().await.unwrap() {
        got.push(greeting.message);
    }
    assert_eq!(
        got,
        [
            format!("Hello number 0, {big}!"),
            format!("Hello number 1, {big}!"),
        ]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_hanging_up_stops_the_producer() {
    // The listed greeter behind a counting layer: the call counts as in progress
    // until its response stream is done (completed) or dropped (abandoned).
    let gauge = InFlight::new();
    let layer = InFlightLayer::new(gauge.clone());
    let greeter = Greeter {
        count: 1_000_000,
        message_delay: Duration::from_millis(1),
    };
    let server = RunningServer::start(move |listener, shutdown| async move {
        Server::builder()
            .layer(layer)
            .add_service(GreeterServiceServer::new(greeter))
            .serve_with_incoming_shutdown(lesson_kit::server::incoming(listener), shutdown.wait())
            .await?;
        Ok(())
    })
    .await
    .unwrap();

    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let request = SayHelloRequest {
        name: "jack".into(),
    };
    let mut greetings = client.say_hello(request).await.unwrap().into_inner();
    let first = greetings.message().await.unwrap().unwrap();
    assert_eq!(first.message, "Hello number 0, jack!");
    assert_eq!(gauge.current(), 1);
    drop(greetings);

    timeout(PATIENCE, gauge.wait_for(|g| g.finished() == 1))
        .await
        .expect("the stream was dropped soon after the client hung up");
    assert_eq!((gauge.abandoned(), gauge.completed()), (1, 0));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn shutdown_lets_a_stream_in_progress_finish() {
    let server = start(3, Duration::from_millis(50)).await;
    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let request = SayHelloRequest {
        name: "jack".into(),
    };
    let mut greetings = client.say_hello(request).await.unwrap().into_inner();
    greetings.message().await.unwrap().expect("first greeting");

    let read_the_rest = async {
        let mut rest = Vec::new();
        while let Some(greeting) = greetings.message().await.unwrap() {
            rest.push(greeting.message);
        }
        rest
    };
    let (stopped, rest) = timeout(PATIENCE, async {
        tokio::join!(server.stop(), read_the_rest)
    })
    .await
    .expect("the stream ended and the server stopped");
    stopped.unwrap();
    assert_eq!(rest, ["Hello number 1, jack!", "Hello number 2, jack!"]);
}
