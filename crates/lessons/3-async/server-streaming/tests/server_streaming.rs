//! The async server-streaming lesson over real sockets: the tutorial's three
//! lines, the count flag, a client hanging up mid-stream, graceful shutdown.

use std::time::Duration;

use async_server_streaming::{AsyncServerStreaming, ClientFlags, Greeter, serve_with};
use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use lesson_kit::{Console, Lesson, RunningServer};
use tokio::time::timeout;

/// How long a wait that should end promptly may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(10);

/// A server streaming `count` greetings per call, `delay` apart.
async fn start(count: u32, delay: Duration) -> RunningServer {
    start_greeter(Greeter::new(count, delay)).await
}

async fn start_greeter(greeter: Greeter) -> RunningServer {
    let serve = |listener, shutdown| serve_with(listener, greeter, shutdown);
    RunningServer::start(serve).await.expect("server starts")
}

async fn client_lines(server: &RunningServer, name: &str) -> Vec<String> {
    let console = Console::capture();
    let flags = ClientFlags { name: name.into() };
    AsyncServerStreaming::client(server.url(false), flags, console.clone())
        .await
        .unwrap();
    console.lines()
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
    let big = "x".repeat(1024 * 1024);
    let lines = client_lines(&server, &big).await;
    assert_eq!(
        lines,
        [
            format!("Greeter client received: Hello number 0, {big}!"),
            format!("Greeter client received: Hello number 1, {big}!"),
        ]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_hanging_up_stops_the_producer() {
    const COUNT: u32 = 1_000_000;
    let greeter = Greeter::new(COUNT, Duration::from_millis(1));
    let production = greeter.production();
    let server = start_greeter(greeter).await;

    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let request = SayHelloRequest {
        name: "jack".into(),
    };
    let mut greetings = client.say_hello(request).await.unwrap().into_inner();
    let first = greetings.message().await.unwrap().unwrap();
    assert_eq!(first.message, "Hello number 0, jack!");
    drop(greetings);

    timeout(PATIENCE, production.wait_stopped(1))
        .await
        .expect("the generator was dropped soon after the client hung up");
    assert_eq!(production.running(), 0, "no generator left running");
    let produced = production.produced();
    assert!(produced < u64::from(COUNT), "stopped early: {produced}");
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
