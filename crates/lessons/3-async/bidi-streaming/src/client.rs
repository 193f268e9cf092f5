// ANCHOR: head
//! The async bidi client: sends its messages while it prints the replies.

use std::time::Duration;

use helloworld_proto::v3::SayHelloRequest;
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use tokio_stream::{Stream, StreamExt};
// ANCHOR_END: head

// ANCHOR: chat
/// Chats with `url`: sends every message of `outgoing`, printing each before it
/// goes out, while printing every reply as it arrives.
///
/// tonic sends the request stream from a task of its own, so the two halves run
/// at once: a reply is printed while later messages are still to come.
pub async fn chat(
    url: String,
    outgoing: impl Stream<Item = String> + Send + 'static,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut client = GreeterServiceClient::connect(url).await?;
    let requests = outgoing.map(|name| {
        println!("Client sent: {name}");
        SayHelloRequest { name }
    });
    let mut replies = client.say_hello(requests).await?.into_inner();
    while let Some(reply) = replies.message().await? {
        println!("Greeter client received: {}", reply.message);
    }
    Ok(())
}
// ANCHOR_END: chat

// ANCHOR: messages
/// `count` messages `"{name} #1"`, `"{name} #2"`, ..., `delay` apart: the
/// Python client's `async def messages(...)` generator.
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
// ANCHOR_END: messages
