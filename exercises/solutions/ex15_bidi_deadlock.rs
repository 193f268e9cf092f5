//! Exercise 15, solved: send from a task of its own while reading, so each side
//! keeps reading what the other writes.

use helloworld_proto::v3::SayHelloRequest;
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Status;
use tonic::transport::Channel;

/// Greets every name in one bidi call; returns the answers in order.
pub async fn greet_all(channel: Channel, names: Vec<String>) -> Result<Vec<String>, Status> {
    // ANCHOR: client
    let (tx, rx) = mpsc::channel(16);
    let mut client = GreeterServiceClient::new(channel);
    let mut answers = client
        .say_hello(ReceiverStream::new(rx))
        .await?
        .into_inner();

    // Send on a task of its own, and read at the same time.
    tokio::spawn(async move {
        for name in names {
            if tx.send(SayHelloRequest { name }).await.is_err() {
                return; // the call has ended
            }
        }
    });

    let mut greetings = Vec::new();
    while let Some(reply) = answers.message().await? {
        greetings.push(reply.message);
    }
    Ok(greetings)
    // ANCHOR_END: client
}
