//! The `mtls` client: the `tls` client, proving who it is with its own certificate.

use std::error::Error;
use std::path::Path;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity};

/// Greets `name` as the `tls` client does, presenting `certs/client.pem` and its key.
pub async fn say_hello(url: &str, certs: &Path, name: &str) -> Result<String, Box<dyn Error>> {
    // Given any scheme but https, tonic would dial plaintext despite the TLS config.
    if !url.to_ascii_lowercase().starts_with("https://") {
        let why = "this client speaks TLS, so the address must be https://host:port or host:port";
        return Err(format!("refusing to dial {url}: {why}").into());
    }
    let ca = Certificate::from_pem(std::fs::read(certs.join("ca.pem"))?);
    let (cert, key) = (certs.join("client.pem"), certs.join("client.key"));
    let identity = Identity::from_pem(std::fs::read(cert)?, std::fs::read(key)?);
    let tls = ClientTlsConfig::new().ca_certificate(ca).identity(identity);
    let endpoint = Endpoint::from_shared(url.to_owned())?.tls_config(tls)?;
    let mut client = GreeterServiceClient::connect(endpoint).await?;
    let request = SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}
