//! The client-streaming lesson over real sockets: many names in, one answer out,
//! including the edge cases (none, one, too many).

use async_client_streaming::{AsyncClientStreaming, ClientFlags, Greeter, greeting, serve_with};
use clap::Parser;
use helloworld_proto::v4::SayHelloRequest;
use helloworld_proto::v4::greeter_service_client::GreeterServiceClient;
use lesson_kit::{Console, Lesson, RunningServer};

async fn start(max_names: usize) -> RunningServer {
    let greeter = Greeter::new(max_names);
    RunningServer::start(|listener, shutdown| serve_with(listener, greeter, shutdown))
        .await
        .expect("server starts")
}

async fn client_lines(server: &RunningServer, names: &[&str]) -> Vec<String> {
    let console = Console::capture();
    let flags = ClientFlags {
        names: names.iter().map(|n| n.to_string()).collect(),
    };
    let call = AsyncClientStreaming::client(server.url(false), flags, console.clone());
    call.await.expect("the call succeeds");
    console.lines()
}

#[tokio::test]
async fn greets_every_name_streamed_in_one_answer() {
    let server = start(1000).await;
    for (names, line) in [
        (
            &["a", "b", "c"][..],
            "Greeter client received: Hello, a, b and c! (greeted_count = 3)",
        ),
        (
            &["世界"],
            "Greeter client received: Hello, 世界! (greeted_count = 1)",
        ),
        (
            &["jack", ""],
            "Greeter client received: Hello, jack and ! (greeted_count = 2)",
        ),
    ] {
        assert_eq!(client_lines(&server, names).await, [line]);
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_one_mebibyte_name_is_just_a_name() {
    let server = start(1000).await;
    let big = "名".repeat(1024 * 1024 / 3);
    assert_eq!(
        client_lines(&server, &[&big, "b"]).await,
        [format!(
            "Greeter client received: Hello, {big} and b! (greeted_count = 2)"
        )]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn no_names_is_a_normal_call_with_a_normal_answer() {
    let server = start(1000).await;
    assert_eq!(
        client_lines(&server, &[]).await,
        ["Greeter client received: Hello, nobody! (greeted_count = 0)"]
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn too_many_names_is_resource_exhausted_and_the_server_goes_on() {
    let server = start(2).await;
    let mut client = GreeterServiceClient::connect(server.url(false))
        .await
        .unwrap();
    let names = ["a", "b", "c"].map(|name| SayHelloRequest { name: name.into() });
    let status = client
        .say_hello(tokio_stream::iter(names))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::ResourceExhausted);
    assert_eq!(status.message(), "at most 2 names per call");
    assert_eq!(
        client_lines(&server, &["a", "b"]).await,
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

#[test]
fn the_names_flag_takes_a_list_or_nothing() {
    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        client: ClientFlags,
    }
    let names = |args: &[&str]| Cli::try_parse_from(args).unwrap().client.names;
    assert_eq!(names(&["x"]), ["a", "b", "c"]);
    assert_eq!(names(&["x", "--names", "jack,世界"]), ["jack", "世界"]);
    assert!(names(&["x", "--names"]).is_empty());
}
