//! Exercise 21 (fix the bug): a bearer token over plaintext (chapter 4, TLS +
//! token combined).
//!
//! The client attaches the token to every call, and the calls work against a
//! plaintext server. That is the bug: a bearer token is a password anyone on
//! the path can read and replay. The token must only ever travel inside TLS.

use tonic::metadata::MetadataValue;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};
use tonic::{Request, Status};

use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;

/// The name the server's certificate is issued for.
pub const SERVER_NAME: &str = "localhost";

/// Adds `authorization: Bearer <token>` to every call.
#[derive(Debug, Clone)]
pub struct BearerToken {
    value: MetadataValue<tonic::metadata::Ascii>,
}

impl BearerToken {
    /// The interceptor for `token`.
    pub fn new(token: &str) -> anyhow::Result<Self> {
        let value = format!("Bearer {token}").parse()?;
        Ok(Self { value })
    }
}

impl tonic::service::Interceptor for BearerToken {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request
            .metadata_mut()
            .insert("authorization", self.value.clone());
        Ok(request)
    }
}

/// The client type [`connect`] returns.
pub type Client = GreeterServiceClient<InterceptedService<tonic::transport::Channel, BearerToken>>;

// ANCHOR: client
/// A client for the greeter at `host:port` that sends `token` with every call;
/// `ca_pem` is the CA that signed the server's certificate.
pub async fn connect(host_port: &str, ca_pem: &str, token: &str) -> anyhow::Result<Client> {
    // FIX: the token can be read by anyone between here and the server.
    let channel = Endpoint::from_shared(format!("http://{host_port}"))?
        .connect()
        .await?;
    Ok(GreeterServiceClient::with_interceptor(
        channel,
        BearerToken::new(token)?,
    ))
}
// ANCHOR_END: client
