//! Chapter 3, beyond the tutorial: bidirectional `SayHello` (package `v3`) as a chat.
//!
//! The tutorial's async chapter stops before bidi streaming. Here the server
//! answers each message the moment it arrives, and the client runs its two
//! halves at once: one task sends (paced by `--send-delay`), the other prints
//! replies. Neither waits for the other: a reply can be printed while the
//! client still has messages to send, and the tests prove it by ordering, not
//! by timing.

use std::pin::Pin;
use std::time::Duration;

use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use lesson_kit::cli::NoFlags;
use lesson_kit::{Console, Lesson, ShutdownSignal, server};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};
use tonic::transport::{Channel, Server};
use tonic::{Request, Response, Status, Streaming};

/// The reply stream a call returns.
pub type ReplyStream = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

// ANCHOR: greeter
/// The servicer: one reply per message, sent as soon as the message is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = ReplyStream;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<ReplyStream>, Status> {
        // The reply stream *is* the request stream, mapped: nothing is buffered,
        // and it ends when the client closes its half (or fails with its error).
        let replies = request.into_inner().map(|request| {
            let name = request?.name;
            Ok(SayHelloResponse {
                message: format!("Hello, {name}!"),
            })
        });
        Ok(Response::new(Box::pin(replies)))
    }
}
// ANCHOR_END: greeter

// ANCHOR: chat
/// Runs one chat: sends `outgoing` on its own task while this one prints replies.
///
/// Each message is printed (`Client sent: ...`) before it is handed to gRPC, so in
/// the printed lines a reply never comes before the message it answers.
pub async fn chat(
    mut client: GreeterServiceClient<Channel>,
    outgoing: impl Stream<Item = String> + Send + 'static,
    console: Console,
) -> anyhow::Result<()> {
    let (requests, request_stream) = mpsc::channel(16);
    // Dropping the set (an early return) stops the sender too.
    let mut sender = JoinSet::new();
    let sender_console = console.clone();
    sender.spawn(async move {
        let mut outgoing = std::pin::pin!(outgoing);
        while let Some(name) = outgoing.next().await {
            sender_console.line(format!("Client sent: {name}"));
            if requests.send(SayHelloRequest { name }).await.is_err() {
                break; // the call is over: nobody reads any more
            }
        }
        // `requests` drops here: the server sees the end of our half.
    });

    let call = client.say_hello(ReceiverStream::new(request_stream));
    let mut replies = call.await?.into_inner();
    while let Some(reply) = replies.message().await? {
        console.line(format!("Greeter client received: {}", reply.message));
    }
    sender.join_all().await;
    Ok(())
}
// ANCHOR_END: chat

/// `count` messages `"{name} #1"`, `"{name} #2"`, ..., `delay` apart.
pub fn paced_messages(name: String, count: u32, delay: Duration) -> impl Stream<Item = String> {
    async_stream::stream! {
        for i in 1..=count {
            if i > 1 && !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            yield format!("{name} #{i}");
        }
    }
}

// ANCHOR: lesson
/// This lesson for `lesson_kit::run`: the echo server, and a chatting client.
#[derive(Debug)]
pub struct AsyncBidiStreaming;

impl Lesson for AsyncBidiStreaming {
    type ServerFlags = NoFlags;
    type ClientFlags = ClientFlags;

    /// Serves until `shutdown`; open chats go on until their clients close them.
    async fn serve(
        listener: TcpListener,
        _: NoFlags,
        _: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let chats = server::incoming(listener);
        Server::builder()
            .add_service(GreeterServiceServer::new(Greeter))
            .serve_with_incoming_shutdown(chats, shutdown.wait())
            .await?;
        Ok(())
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let client = GreeterServiceClient::connect(url).await?;
        let outgoing = paced_messages(flags.name, flags.count, flags.send_delay);
        chat(client, outgoing, console).await
    }
}
// ANCHOR_END: lesson

/// The client's own flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Who is chatting; messages are `NAME #1`, `NAME #2`, ...
    #[arg(long, default_value = "jack")]
    pub name: String,
    /// How many messages to send.
    #[arg(long, default_value_t = 3)]
    pub count: u32,
    /// Pause between messages: `0s`, `100ms`, `1s`.
    #[arg(long, default_value = "100ms", value_parser = humantime::parse_duration)]
    pub send_delay: Duration,
}
