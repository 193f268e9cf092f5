// ANCHOR: head
//! The async unary client: the tutorial's `grpc.aio` client, on tokio.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
// ANCHOR_END: head

// ANCHOR: client
/// Greets `name` at `url` and prints the tutorial's one line.
///
/// `connect` opens the HTTP/2 connection (`grpc.aio.insecure_channel`); the call
/// is awaited like `await stub.SayHello(...)`.
pub async fn run(
    url: String,
    name: String,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut client = GreeterServiceClient::connect(url).await?;
    let response = client.say_hello(SayHelloRequest { name }).await?;
    println!("Greeter client received: {}", response.into_inner().message);
    Ok(())
}
// ANCHOR_END: client
