//! The `token` client: the token rides on every call, as grpcio's
//! `access_token_call_credentials` sends it.

use std::error::Error;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::Request;
use tonic::metadata::MetadataValue;
use tonic::metadata::errors::InvalidMetadataValue;
use tonic::service::Interceptor;
use tonic::transport::Endpoint;

/// An interceptor adding `authorization: Bearer <token>`, marked sensitive so
/// HPACK never indexes it and tonic never logs it.
pub fn attach_token(token: &str) -> Result<impl Interceptor + Clone, InvalidMetadataValue> {
    let mut value: MetadataValue<_> = format!("Bearer {token}").parse()?;
    value.set_sensitive(true);
    Ok(move |mut request: Request<()>| {
        request
            .metadata_mut()
            .insert("authorization", value.clone());
        Ok(request)
    })
}

/// Greets `name` at `url`, sending `token` with the call.
pub async fn say_hello(url: &str, token: &str, name: &str) -> Result<String, Box<dyn Error>> {
    let channel = Endpoint::from_shared(url.to_owned())?.connect().await?;
    let mut client = GreeterServiceClient::with_interceptor(channel, attach_token(token)?);
    let request = SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}
