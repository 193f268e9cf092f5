//! Serving and calling with a given set of credentials: the part every mode shares.
//!
//! gRPC separates two kinds of credentials, and so do these types:
//! *channel credentials* (TLS, checked once per connection) are the `tls` fields;
//! *call credentials* (metadata on each call) are the server's [`Authenticator`]
//! and the client's [`CallCredentials`]. Each mode only picks values for them.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{ClientTlsConfig, Endpoint, Server, ServerTlsConfig};
use tonic::{Code, Status};

use tonic::service::interceptor::InterceptedService;
use tower::Layer;

use crate::credentials::CallCredentials;
use crate::digest::DigestLayer;
use crate::greeter::{Greet, Greeter};
use crate::layer::{AuthLayer, Authenticator};

/// How a server protects itself.
pub struct ServerSecurity {
    /// Channel credentials: the server's certificate, and for mTLS the client CA.
    pub tls: Option<ServerTlsConfig>,
    /// Call credentials: the check every call must pass.
    pub authenticator: Option<Arc<dyn Authenticator>>,
    /// Whom the greeter greets.
    pub greet: Greet,
}

impl ServerSecurity {
    /// Plaintext, every call checked by `authenticator`: the modes that show call
    /// credentials on their own.
    pub fn calls_checked_by(authenticator: impl Authenticator) -> Self {
        Self {
            tls: None,
            authenticator: Some(Arc::new(authenticator)),
            greet: Greet::RequestName,
        }
    }
}

// ANCHOR: serve
/// Serves the v1 greeter on `listener` with `security` until `shutdown`.
///
/// A connection that fails the TLS handshake, or a call refused by the
/// authenticator, affects only itself: the server goes on serving.
pub async fn serve(
    listener: TcpListener,
    security: ServerSecurity,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let mut builder = Server::builder();
    if let Some(tls) = security.tls {
        builder = builder.tls_config(tls)?;
    }
    // Nagle off, as tonic does when it binds a port itself: a small reply
    // should not wait for the ACK of the one before.
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    builder
        // The message's digest first, for checks that sign the body.
        .layer(DigestLayer)
        .layer(tower::util::option_layer(
            security.authenticator.map(AuthLayer::new),
        ))
        .add_service(GreeterServiceServer::new(Greeter::new(security.greet)))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}
// ANCHOR_END: serve

/// How a client proves who it is and whom it trusts.
#[derive(Clone, Debug, Default)]
pub struct ClientSecurity {
    /// Channel credentials: the CA to trust, and for mTLS the client's identity.
    pub tls: Option<ClientTlsConfig>,
    /// Call credentials: what to attach to every call.
    pub call: CallCredentials,
    /// Send secret call credentials over a plaintext channel anyway.
    pub allow_insecure_call_credentials: bool,
}

// ANCHOR: say_hello
/// Makes one `SayHello` call to `url` and returns the greeting.
///
/// Every failure is a [`Status`], as in grpcio: a refused handshake or an unreachable
/// server is `UNAVAILABLE`, a refused credential `UNAUTHENTICATED`.
pub async fn say_hello(url: &str, security: ClientSecurity, name: &str) -> Result<String, Status> {
    // With a TLS config, tonic still dials an `http://` URL in plaintext; so TLS
    // means `https://`, whatever the case of the scheme, or no connection at all.
    let https = url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
    if security.tls.is_some() && !https {
        return Err(Status::invalid_argument(format!(
            "refusing to dial {url}: this client speaks TLS, so the address must be \
             https://host:port or host:port; any other scheme would send the call, and \
             its credentials, unencrypted"
        )));
    }
    if security.tls.is_none()
        && security.call.is_secret()
        && !security.allow_insecure_call_credentials
    {
        return Err(Status::failed_precondition(format!(
            "refusing to send a bearer token over the plaintext channel to {url}: anyone on \
             the path could read and reuse it. Use TLS (the `combined` mode), or pass \
             --allow-insecure-token if you accept that risk"
        )));
    }
    let mut endpoint = Endpoint::from_shared(url.to_owned())
        .map_err(|error| Status::invalid_argument(format!("bad server address {url}: {error}")))?;
    if let Some(tls) = security.tls {
        endpoint = endpoint
            .tls_config(tls)
            .map_err(|error| Status::invalid_argument(format!("bad TLS settings: {error}")))?;
    }
    let authority = endpoint
        .uri()
        .authority()
        .map_or("", |a| a.as_str())
        .to_owned();
    let channel = endpoint.connect_lazy();
    let call = security.call.for_authority(&authority);
    let mut client =
        GreeterServiceClient::new(DigestLayer.layer(InterceptedService::new(channel, call)));
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    match client.say_hello(request).await {
        Ok(response) => Ok(response.into_inner().message),
        Err(status) => Err(with_cause(status)),
    }
}

/// Adds the causes of a transport failure to its message.
///
/// tonic reports a failed connection as `transport error`, keeping the reason
/// (`received fatal alert: CertificateRequired`) in the error's source chain; a
/// learner, and grpcio's users, expect to read it in the status message.
pub fn with_cause(status: Status) -> Status {
    let mut message = status.message().to_owned();
    let mut cause = std::error::Error::source(&status);
    while let Some(error) = cause {
        let text = error.to_string();
        if !message.contains(&text) {
            message = format!("{message}: {text}");
        }
        cause = error.source();
    }
    Status::new(status.code(), message)
}
// ANCHOR_END: say_hello

/// A call that ended with a non-OK status; prints as `CODE: message`.
#[derive(Debug)]
pub struct CallFailed(pub Status);

impl fmt::Display for CallFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "call failed: {}: {}",
            code_name(self.0.code()),
            self.0.message()
        )
    }
}

impl std::error::Error for CallFailed {}

/// The status code's name as the gRPC spec (and grpcio) writes it.
pub fn code_name(code: Code) -> String {
    let camel = format!("{code:?}");
    let mut name = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            name.push('_');
        }
        name.push(c.to_ascii_uppercase());
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_follow_the_spec() {
        assert_eq!(code_name(Code::Unauthenticated), "UNAUTHENTICATED");
        assert_eq!(code_name(Code::FailedPrecondition), "FAILED_PRECONDITION");
        assert_eq!(code_name(Code::Ok), "OK");
    }
}
