// ANCHOR: head
//! The sync server-streaming client: the tutorial's `run()`, looping over the
//! replies as they arrive.

use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use sync_kit::BlockingChannel;
use tonic::transport::Endpoint;
// ANCHOR_END: head

// ANCHOR: client
/// The tutorial's `run()`: start the call, then loop over the replies.
pub fn run(url: &str, name: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    println!("Will try to greet world ...");
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    for response in channel.server_stream(stub.say_hello(request))? {
        println!("Greeter client received: {}", response?.message);
    }
    Ok(())
}
// ANCHOR_END: client
