// ANCHOR: head
//! The async server-streaming client: `async for response in responses: print(...)`.

use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
// ANCHOR_END: head

// ANCHOR: client
/// Asks `url` to greet `name` and prints each greeting as it arrives.
pub async fn run(
    url: String,
    name: String,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut client = GreeterServiceClient::connect(url).await?;
    let request = SayHelloRequest { name };
    let mut greetings = client.say_hello(request).await?.into_inner();
    while let Some(greeting) = greetings.message().await? {
        println!("Greeter client received: {}", greeting.message);
    }
    Ok(())
}
// ANCHOR_END: client
