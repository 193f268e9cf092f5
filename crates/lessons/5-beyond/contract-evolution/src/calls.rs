//! The clients: the tutorial's v1 client, unchanged, and a client built from v1.1.

use helloworld_proto::v1;
use tonic::Status;
use tonic::transport::Channel;

use crate::contracts::v1_1;

/// The tutorial's v1 call: whatever now serves v1's path answers it.
pub async fn say_hello_v1(channel: Channel, name: &str) -> Result<String, Status> {
    let mut client = v1::greeter_service_client::GreeterServiceClient::new(channel);
    let request = v1::SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}

/// A v1.1 call asking for `tone`: the message, and the tone as the number received
/// (prost keeps an enum field as `i32`, so a value this client has no name for survives).
pub async fn say_hello_v1_1(
    channel: Channel,
    name: &str,
    tone: v1_1::Tone,
) -> Result<(String, i32), Status> {
    let mut client = v1_1::greeter_service_client::GreeterServiceClient::new(channel);
    let request = v1_1::SayHelloRequest {
        name: name.into(),
        tone: tone.into(),
    };
    let response = client.say_hello(request).await?.into_inner();
    Ok((response.message, response.tone))
}

/// v1.1's new method.
pub async fn say_goodbye_v1_1(channel: Channel, name: &str) -> Result<String, Status> {
    let mut client = v1_1::greeter_service_client::GreeterServiceClient::new(channel);
    let request = v1_1::SayGoodbyeRequest { name: name.into() };
    Ok(client.say_goodbye(request).await?.into_inner().message)
}
