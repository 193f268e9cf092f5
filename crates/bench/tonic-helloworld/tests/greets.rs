//! The baseline answers the tutorial's unary call, so the bench's load means the
//! same thing against it as against the lesson.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;

/// Kills the server when the test ends, passed or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A loopback address of this test's own (all of 127/8 is loopback on Linux), so
/// the port it releases for the child cannot be taken meanwhile by the other
/// tests, which bind 127.0.0.1. The server is tonic's helloworld as it stands, so
/// it cannot bind port 0 and report back: the test chooses for it.
const HOST: &str = "127.3.7.1";

/// Starts the server on a free port of [`HOST`]; tries another if it exits.
async fn start() -> (Running, String) {
    for _ in 0..3 {
        let port = TcpListener::bind((HOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut server = Running(
            Command::new(env!("CARGO_BIN_EXE_bench-tonic-helloworld"))
                .args(["--addr", &format!("{HOST}:{port}")])
                .stdout(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let url = format!("http://{HOST}:{port}");
        // The server binds after it starts: connect until it listens (bounded).
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if tokio::net::TcpStream::connect((HOST, port)).await.is_ok() {
                return (server, url);
            }
            if server.0.try_wait().unwrap().is_some() {
                break; // it could not bind: try another port
            }
            tokio::task::yield_now().await;
        }
    }
    panic!("the server never listened on {HOST}");
}

#[tokio::test]
async fn answers_say_hello() {
    let (_server, url) = start().await;
    let mut client = GreeterServiceClient::connect(url).await.unwrap();
    let reply = client
        .say_hello(SayHelloRequest {
            name: "Jack".into(),
        })
        .await
        .unwrap();
    assert_eq!(reply.into_inner().message, "Hello, Jack!");
}
