//! The `custom` client: signs every call with the shared secret.

use std::error::Error;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::Request;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Endpoint;
use tower::Layer;

use crate::digest::DigestLayer;
use crate::signing::RequestSigner;

/// Greets `name` through `endpoint` (plaintext, or TLS as the `tls` client sets it
/// up), the call signed by `signer` for the server dialled and the message sent.
pub async fn say_hello(
    endpoint: Endpoint,
    signer: RequestSigner,
    name: &str,
) -> Result<String, Box<dyn Error>> {
    let authority = endpoint.uri().authority().ok_or("the URL has no host")?;
    let signer = signer.for_authority(authority.as_str());
    let sign = move |mut call: Request<()>| signer.sign(&mut call).map(|()| call);
    let signed = InterceptedService::new(endpoint.connect().await?, sign);
    // Outermost: hashes the encoded message before the interceptor signs the call.
    let mut client = GreeterServiceClient::new(DigestLayer::default().layer(signed));
    let request = SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}
