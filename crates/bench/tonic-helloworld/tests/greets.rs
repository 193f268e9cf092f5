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

#[tokio::test]
async fn answers_say_hello() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let _server = Running(
        Command::new(env!("CARGO_BIN_EXE_bench-tonic-helloworld"))
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // The server binds after it starts: connect until it listens (bounded).
    let started = Instant::now();
    let mut client = loop {
        match GreeterServiceClient::connect(url.clone()).await {
            Ok(client) => break client,
            Err(error) if started.elapsed() > Duration::from_secs(20) => {
                panic!("server never listened on {url}: {error}")
            }
            Err(_) => tokio::task::yield_now().await,
        }
    };
    let reply = client
        .say_hello(SayHelloRequest {
            name: "Jack".into(),
        })
        .await
        .unwrap();
    assert_eq!(reply.into_inner().message, "Hello, Jack!");
}
