//! The bidi chat over real sockets: replies arrive while the client is still
//! sending (proved by ordering, not timing), and shutdown lets a chat finish.

use std::sync::Arc;
use std::time::Duration;

use async_bidi_streaming::{AsyncBidiStreaming, ClientFlags, chat};
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use lesson_kit::cli::NoFlags;
use lesson_kit::{Console, Lesson, RunningServer};
use tokio::sync::Notify;
use tokio::time::timeout;

/// Generous bound for waits that should end at once; a hang fails instead of blocking CI.
const PATIENCE: Duration = Duration::from_secs(10);

async fn start() -> RunningServer {
    RunningServer::start(|listener, shutdown| {
        AsyncBidiStreaming::serve(listener, NoFlags {}, Console::capture(), shutdown)
    })
    .await
    .expect("server starts")
}

/// A console that wakes `seen` when `line` is printed.
fn console_watching_for(line: &'static str) -> (Console, Arc<Notify>) {
    let seen = Arc::new(Notify::new());
    let notify = seen.clone();
    let console = Console::capture_with_observer(move |printed| {
        if printed == line {
            notify.notify_one();
        }
    });
    (console, seen)
}

/// Messages `m1`, then (once `go` is notified) `m2`..=`m{last}`.
fn first_one_then_the_rest(go: Arc<Notify>, last: u32) -> impl tokio_stream::Stream<Item = String> {
    async_stream::stream! {
        yield "m1".to_owned();
        go.notified().await;
        for i in 2..=last {
            yield format!("m{i}");
        }
    }
}

#[tokio::test]
async fn the_client_prints_each_reply_after_its_message() {
    let server = start().await;
    let console = Console::capture();
    let flags = ClientFlags {
        name: "jack".into(),
        count: 3,
        send_delay: Duration::ZERO,
    };
    AsyncBidiStreaming::client(server.url(false), flags, console.clone())
        .await
        .unwrap();
    let lines = console.lines();
    let replies: Vec<_> = lines.iter().filter(|l| l.starts_with("Greeter")).collect();
    assert_eq!(
        replies,
        [
            "Greeter client received: Hello, jack #1!",
            "Greeter client received: Hello, jack #2!",
            "Greeter client received: Hello, jack #3!",
        ]
    );
    for i in 1..=3 {
        let sent = lines
            .iter()
            .position(|l| *l == format!("Client sent: jack #{i}"));
        let received = lines
            .iter()
            .position(|l| *l == format!("Greeter client received: Hello, jack #{i}!"));
        assert!(sent.unwrap() < received.unwrap(), "{lines:?}");
    }
    assert_eq!(lines.len(), 6, "{lines:?}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_reply_arrives_while_the_client_is_still_sending() {
    let server = start().await;
    let client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    // m2.. are sent only after the reply to m1 is printed: a client that read
    // replies only after sending everything would wait here forever.
    let (console, first_reply) = console_watching_for("Greeter client received: Hello, m1!");
    let outgoing = first_one_then_the_rest(first_reply, 5);
    timeout(PATIENCE, chat(client, outgoing, console.clone()))
        .await
        .expect("the chat did not deadlock")
        .unwrap();
    let lines = console.lines();
    assert_eq!(
        lines[..3],
        [
            "Client sent: m1",
            "Greeter client received: Hello, m1!",
            "Client sent: m2"
        ]
    );
    assert_eq!(lines.len(), 10, "{lines:?}");
    assert_eq!(lines[9], "Greeter client received: Hello, m5!", "{lines:?}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn shutdown_lets_an_open_chat_finish() {
    let server = start().await;
    let client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let (console, first_reply) = console_watching_for("Greeter client received: Hello, m1!");
    let go = Arc::new(Notify::new());
    let chatting = tokio::spawn(chat(
        client,
        first_one_then_the_rest(go.clone(), 3),
        console.clone(),
    ));

    timeout(PATIENCE, first_reply.notified())
        .await
        .expect("m1 answered");
    // Ask the server to stop while the chat is open, then let the chat go on.
    let (stopped, ()) = timeout(PATIENCE, async {
        tokio::join!(server.stop(), async { go.notify_one() })
    })
    .await
    .expect("the server stopped once the chat ended");
    stopped.unwrap();
    chatting.await.unwrap().unwrap();
    let replies = console
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("Greeter"))
        .count();
    assert_eq!(replies, 3);
}
