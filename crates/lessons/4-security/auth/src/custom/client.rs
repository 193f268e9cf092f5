//! The `custom` client: signs every call with the shared secret.

use std::error::Error;
use std::path::Path;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::Request;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};
use tower::Layer;

use crate::digest::DigestLayer;
use crate::signing::RequestSigner;

/// Greets `name` at `url`, the call signed by `signer` for the server dialled and
/// the message sent; over TLS trusting `certs/ca.pem` when `certs` is given.
pub async fn say_hello(
    url: &str,
    signer: RequestSigner,
    certs: Option<&Path>,
    name: &str,
) -> Result<String, Box<dyn Error + Send + Sync>> {
    let mut endpoint = Endpoint::from_shared(url.to_owned())?;
    if let Some(certs) = certs {
        // Given `http://` (in any case), tonic would dial plaintext despite the TLS config.
        if !url.get(..8).unwrap_or("").eq_ignore_ascii_case("https://") {
            return Err(format!("refusing to dial {url}: this client speaks TLS, so the address must be https://host:port or host:port").into());
        }
        let ca = Certificate::from_pem(std::fs::read(certs.join("ca.pem"))?);
        endpoint = endpoint.tls_config(ClientTlsConfig::new().ca_certificate(ca))?;
    }
    // The signature covers the server it is meant for: the URL's host:port.
    let authority = endpoint.uri().authority().ok_or("the URL has no host")?;
    let signer = signer.for_authority(authority.as_str());
    let signed = InterceptedService::new(endpoint.connect().await?, move |mut call: Request<()>| {
        signer.sign(&mut call)?;
        Ok(call)
    });
    // Outermost: hashes the encoded message before the interceptor signs the call.
    let mut client = GreeterServiceClient::new(DigestLayer::default().layer(signed));
    let request = SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}
