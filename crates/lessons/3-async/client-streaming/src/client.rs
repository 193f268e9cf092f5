// ANCHOR: head
//! The async client-streaming client: streams names, prints the one answer.

use helloworld_proto::v4::SayHelloRequest;
use helloworld_proto::v4::greeter_service_client::GreeterServiceClient;
// ANCHOR_END: head

// ANCHOR: client
/// Sends every name as its own message, closes its half, then prints the answer.
pub async fn run(
    url: String,
    names: Vec<String>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut client = GreeterServiceClient::connect(url).await?;
    let requests = names.into_iter().map(|name| SayHelloRequest { name });
    let reply = client
        .say_hello(tokio_stream::iter(requests))
        .await?
        .into_inner();
    println!(
        "Greeter client received: {} (greeted_count = {})",
        reply.message, reply.greeted_count
    );
    Ok(())
}
// ANCHOR_END: client
