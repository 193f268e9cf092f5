//! One call, as a given caller: a token (or none) and extra metadata.

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::metadata::{MetadataKey, MetadataValue};
use tonic::transport::Channel;
use tonic::{Request, Status};

// ANCHOR: say_hello
/// Calls SayHello with `authorization: Bearer <token>` (when given) and `metadata`.
pub async fn say_hello(
    channel: Channel,
    token: Option<&str>,
    metadata: &[(&str, &str)],
    name: &str,
) -> Result<String, Status> {
    let mut request = Request::new(SayHelloRequest { name: name.into() });
    if let Some(token) = token {
        let mut value: MetadataValue<_> = format!("Bearer {token}")
            .parse()
            .map_err(|_| Status::invalid_argument("the token is not a header value"))?;
        value.set_sensitive(true);
        request.metadata_mut().insert("authorization", value);
    }
    for (key, value) in metadata {
        let key: MetadataKey<_> = key
            .parse()
            .map_err(|_| Status::invalid_argument(format!("{key:?} is not a metadata key")))?;
        let value = value
            .parse()
            .map_err(|_| Status::invalid_argument(format!("{value:?} is not a metadata value")))?;
        request.metadata_mut().insert(key, value);
    }
    let reply = GreeterServiceClient::new(channel)
        .say_hello(request)
        .await?;
    Ok(reply.into_inner().message)
}
// ANCHOR_END: say_hello
