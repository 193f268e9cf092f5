//! The bidi chat over real sockets and the real binary: replies arrive while the
//! client is still sending (proved by ordering, not timing), and shutdown lets a
//! chat finish.

use std::io::{BufRead, BufReader, Lines, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use async_bidi_streaming::server;
use lesson_kit::RunningServer;
use lesson_kit::testing::run_binary;
use tokio::time::timeout;

/// Generous bound for waits that should end at once; a hang fails instead of blocking CI.
const PATIENCE: Duration = Duration::from_secs(10);

const LESSON: &str = env!("CARGO_BIN_EXE_async-bidi-streaming");

async fn start() -> RunningServer {
    RunningServer::start(|listener, shutdown| async move {
        server::serve(listener, shutdown.wait()).await?;
        Ok(())
    })
    .await
    .expect("server starts")
}

/// The lesson's client in `--stdin` mode: the test types, and reads what it prints.
struct Chatter {
    child: Child,
    typing: Option<ChildStdin>,
    printed: Lines<BufReader<ChildStdout>>,
}

impl Chatter {
    fn start(server: &RunningServer) -> Self {
        let mut child = Command::new(LESSON)
            .args(["client", "--addr", &server.url(false), "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the client starts");
        let typing = child.stdin.take();
        let printed = BufReader::new(child.stdout.take().unwrap()).lines();
        Self {
            child,
            typing,
            printed,
        }
    }

    fn say(&mut self, line: &str) {
        let typing = self.typing.as_mut().expect("still typing");
        writeln!(typing, "{line}").unwrap();
        typing.flush().unwrap();
    }

    /// The next printed line (blocking: call through [`next_line`]).
    fn read(&mut self) -> String {
        self.printed.next().expect("a line").unwrap()
    }

    /// Ends our half (Ctrl-D) and returns the remaining lines and the exit status.
    fn finish(mut self) -> (Vec<String>, bool) {
        drop(self.typing.take());
        let rest = self.printed.by_ref().map(Result::unwrap).collect();
        (rest, self.child.wait().unwrap().success())
    }
}

/// Reads one printed line off the runtime's threads, with a timeout.
async fn next_line(chatter: &mut Chatter) -> String {
    timeout(PATIENCE, async {
        tokio::task::block_in_place(|| chatter.read())
    })
    .await
    .expect("a line in time")
}

#[tokio::test]
async fn the_client_prints_each_reply_after_its_message() {
    let server = start().await;
    let url = server.url(false);
    let args = [
        "client",
        "--addr",
        &url,
        "--count",
        "3",
        "--send-delay",
        "0s",
    ];
    let output = run_binary(LESSON, args).await;
    assert!(output.success, "{}", output.stderr);
    let lines = output.lines;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_arrives_while_the_client_is_still_sending() {
    let server = start().await;
    // m2.. are typed only after the reply to m1 is printed: a client that read
    // replies only after sending everything would wait here forever.
    let mut chatter = Chatter::start(&server);
    chatter.say("m1");
    assert_eq!(next_line(&mut chatter).await, "Client sent: m1");
    assert_eq!(
        next_line(&mut chatter).await,
        "Greeter client received: Hello, m1!"
    );
    for i in 2..=5 {
        chatter.say(&format!("m{i}"));
    }
    let (rest, ok) = tokio::task::block_in_place(|| chatter.finish());
    assert!(ok);
    assert_eq!(rest.len(), 8, "{rest:?}");
    assert_eq!(rest[0], "Client sent: m2");
    assert_eq!(rest[7], "Greeter client received: Hello, m5!", "{rest:?}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_an_open_chat_finish() {
    let server = start().await;
    let mut chatter = Chatter::start(&server);
    chatter.say("m1");
    next_line(&mut chatter).await;
    assert_eq!(
        next_line(&mut chatter).await,
        "Greeter client received: Hello, m1!"
    );
    // Ask the server to stop while the chat is open, then let the chat go on.
    let stopping = tokio::spawn(server.stop());
    chatter.say("m2");
    chatter.say("m3");
    let (rest, ok) = tokio::task::block_in_place(|| chatter.finish());
    assert!(ok);
    let replies = rest.iter().filter(|l| l.starts_with("Greeter")).count();
    assert_eq!(replies, 2, "{rest:?}");
    timeout(PATIENCE, stopping)
        .await
        .expect("the server stopped once the chat ended")
        .unwrap()
        .unwrap();
}
