//! The `mtls` client: the `tls` client, proving who it is with its own certificate.

use std::error::Error;
use std::path::Path;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity};

/// Greets `name` at `url` (`https://host:port`) trusting `certs/ca.pem`, and
/// presents `certs/client.pem` with its key.
pub async fn say_hello(
    url: &str,
    certs: &Path,
    name: &str,
) -> Result<String, Box<dyn Error + Send + Sync>> {
    // Given `http://` (in any case), tonic would dial plaintext despite the TLS config.
    if !url.get(..8).unwrap_or("").eq_ignore_ascii_case("https://") {
        return Err(format!("refusing to dial {url}: this client speaks TLS, so the address must be https://host:port or host:port").into());
    }
    let ca = Certificate::from_pem(std::fs::read(certs.join("ca.pem"))?);
    let cert = std::fs::read(certs.join("client.pem"))?;
    let key = std::fs::read(certs.join("client.key"))?;
    let tls = ClientTlsConfig::new()
        .ca_certificate(ca)
        .identity(Identity::from_pem(cert, key));
    let channel = Endpoint::from_shared(url.to_owned())?
        .tls_config(tls)?
        .connect()
        .await?;
    let mut client = GreeterServiceClient::new(channel);
    let request = SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}
