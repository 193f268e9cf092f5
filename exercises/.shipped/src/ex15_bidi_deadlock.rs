//! Exercise 15 (fix the bug): a bidi client that sends everything before it
//! reads (chapter 3, async bidirectional streaming).
//!
//! With a few names it works. With many long names against a server that
//! answers each one, it stops forever: both directions have HTTP/2 flow-control
//! windows, and each side is waiting for the other to read.

use helloworld_proto::v3::SayHelloRequest;
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Status;
use tonic::transport::Channel;

// ANCHOR: client
/// Greets every name in one bidi call; returns the answers in order.
pub async fn greet_all(channel: Channel, names: Vec<String>) -> Result<Vec<String>, Status> {
    let (tx, rx) = mpsc::channel(16);
    let mut client = GreeterServiceClient::new(channel);
    let mut answers = client
        .say_hello(ReceiverStream::new(rx))
        .await?
        .into_inner();

    // FIX: with many long names, this never finishes.
    for name in names {
        tx.send(SayHelloRequest { name })
            .await
            .map_err(|_| Status::cancelled("the call has ended"))?;
    }
    drop(tx);

    let mut greetings = Vec::new();
    while let Some(reply) = answers.message().await? {
        greetings.push(reply.message);
    }
    Ok(greetings)
}
// ANCHOR_END: client
