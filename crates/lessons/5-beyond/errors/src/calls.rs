//! The client's calls: one SayHello, and two failures the library makes by itself.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::Status;
use tonic::transport::Channel;

/// One v1 `SayHello`.
pub async fn say_hello(channel: Channel, name: &str) -> Result<String, Status> {
    let request = SayHelloRequest { name: name.into() };
    let response = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    Ok(response.into_inner().message)
}

/// Calls `tutorial.helloworld.v2.GreeterService`, which this server does not run.
pub async fn call_unserved_method(channel: Channel) -> Result<String, Status> {
    use helloworld_proto::v2;
    let request = v2::SayHelloRequest {
        name: "Jack".into(),
    };
    let mut client = v2::greeter_service_client::GreeterServiceClient::new(channel);
    client.say_hello(request).await.map(|_| "a stream?".into())
}

/// Calls a port nobody listens on (bound, then released).
pub async fn call_closed_port() -> Result<String, Status> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| Status::internal(e.to_string()))?
        .port();
    let channel = Channel::from_shared(format!("http://127.0.0.1:{port}"))
        .map_err(|e| Status::internal(e.to_string()))?
        .connect_lazy();
    say_hello(channel, "Jack").await
}
