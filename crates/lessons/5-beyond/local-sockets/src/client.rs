//! The greeter's client over a Unix domain socket.
//!
//! tonic dials through a connector: any tower service from a `Uri` to a
//! connection. This one ignores the URI and connects to a socket file, so the
//! endpoint's URI only supplies the HTTP/2 `:authority` (here `localhost`).

use std::path::PathBuf;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use hyper_util::rt::TokioIo;
use tokio::net::UnixStream;
use tonic::transport::{Channel, Endpoint, Uri};
use tower::service_fn;

/// A channel whose every connection is a new `UnixStream` to `path`.
pub async fn connect(path: PathBuf) -> Result<Channel, tonic::transport::Error> {
    Endpoint::from_static("http://localhost")
        .connect_with_connector(service_fn(move |_: Uri| {
            let path = path.clone();
            async move { Ok::<_, std::io::Error>(TokioIo::new(UnixStream::connect(path).await?)) }
        }))
        .await
}

/// The tutorial's unary call on `channel`: the greeting, or the server's status.
pub async fn say_hello(channel: Channel, name: &str) -> Result<String, tonic::Status> {
    let mut client = GreeterServiceClient::new(channel);
    let request = SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}
