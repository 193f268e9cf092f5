//! The client-streaming lesson over real sockets: many names in, one answer out,
//! including the edge cases (none, one, too many). Printed lines come from the
//! real binary.

use async_client_streaming::{Greeter, greeting, server};
use helloworld_proto::v4::SayHelloRequest;
use helloworld_proto::v4::greeter_service_client::GreeterServiceClient;
use lesson_kit::RunningServer;
use lesson_kit::testing::{Output, run_binary};

async fn start(max_names: usize) -> RunningServer {
    RunningServer::start(move |listener, shutdown| async move {
        server::serve(listener, Greeter { max_names }, shutdown.wait()).await?;
        Ok(())
    })
    .await
    .expect("server starts")
}

/// The lesson binary's client with `extra` flags.
async fn client(server: &RunningServer, extra: &[&str]) -> Output {
    let url = server.url(false);
    let args = ["client", "--addr", url.as_str()]
        .into_iter()
        .chain(extra.iter().copied());
    run_binary(env!("CARGO_BIN_EXE_async-client-streaming"), args).await
}

async fn client_lines(server: &RunningServer, names: &str) -> Vec<String> {
    let output = client(server, &["--names", names]).await;
    assert!(output.success, "{}", output.stderr);
    output.lines
}

#[tokio::test]
async fn greets_every_name_streamed_in_one_answer() {
    let server = start(1000).await;
    for (names, line) in [
        (
            "a,b,c",
            "Greeter client received: Hello, a, b and c! (greeted_count = 3)",
        ),
        (
            "世界",
            "Greeter client received: Hello, 世界! (greeted_count = 1)",
        ),
        (
            "jack,",
            "Greeter client received: Hello, jack and ! (greeted_count = 2)",
        ),
    ] {
        assert_eq!(client_lines(&server, names).await, [line]);
    }
    let defaults = client(&server, &[]).await;
    assert_eq!(
        defaults.lines,
        ["Greeter client received: Hello, a, b and c! (greeted_count = 3)"]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_one_mebibyte_name_is_just_a_name() {
    let server = start(1000).await;
    let big = "名".repeat(1024 * 1024 / 3);
    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let names = [big.clone(), "b".into()].map(|name| SayHelloRequest { name });
    let reply = client
        .say_hello(tokio_stream::iter(names))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(reply.message, format!("Hello, {big} and b!"));
    assert_eq!(reply.greeted_count, 2);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn no_names_is_a_normal_call_with_a_normal_answer() {
    let server = start(1000).await;
    let output = client(&server, &["--names"]).await;
    assert_eq!(
        output.lines,
        ["Greeter client received: Hello, nobody! (greeted_count = 0)"]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn too_many_names_is_resource_exhausted_and_the_server_goes_on() {
    let server = start(2).await;
    let mut grpc = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let names = ["a", "b", "c"].map(|name| SayHelloRequest { name: name.into() });
    let status = grpc.say_hello(tokio_stream::iter(names)).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::ResourceExhausted);
    assert_eq!(status.message(), "at most 2 names per call");

    let refused = client(&server, &["--names", "a,b,c"]).await;
    assert!(!refused.success);
    assert!(
        refused.stderr.contains("at most 2 names per call"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        client_lines(&server, "a,b").await,
        ["Greeter client received: Hello, a and b! (greeted_count = 2)"]
    );
    server.stop().await.unwrap();
}

#[test]
fn greeting_joins_names_like_a_sentence() {
    let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(greeting(&names(&[])), "Hello, nobody!");
    assert_eq!(greeting(&names(&["a", "b"])), "Hello, a and b!");
    assert_eq!(
        greeting(&names(&["a", "b", "c", "d"])),
        "Hello, a, b, c and d!"
    );
}
