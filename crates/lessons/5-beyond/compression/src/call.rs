//! The client: one call, compressed both ways with an encoding or not at all.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::Status;
use tonic::codec::CompressionEncoding;
use tonic::transport::Channel;

/// One call compressed with `encoding` (or not) both ways; the reply's length.
pub async fn call(
    channel: Channel,
    encoding: Option<CompressionEncoding>,
    name: String,
) -> Result<usize, Status> {
    let mut client = GreeterServiceClient::new(channel);
    if let Some(encoding) = encoding {
        client = client.send_compressed(encoding).accept_compressed(encoding);
    }
    let reply = client.say_hello(SayHelloRequest { name }).await?;
    Ok(reply.into_inner().message.len())
}
