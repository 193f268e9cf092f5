//! The one `GreeterService` (v1, unary) that every security mode serves.
//!
//! Security lives around the service (in the TLS config and a tower layer), so the
//! handler stays the tutorial's `"Hello, %s!"`. The only exception is mutual TLS,
//! where the point is that the handler can *see* who called: it greets the common
//! name of the client's certificate instead of the name in the request.

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::{Request, Response, Status};
use x509_parser::prelude::{FromDer, X509Certificate};

/// Whom the greeter greets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Greet {
    /// The `name` field of the request, as in the tutorial.
    RequestName,
    /// The common name (CN) of the verified client certificate (mutual TLS).
    PeerCertificate,
}

/// The tutorial's `Greeter` servicer.
#[derive(Debug, Clone, Copy)]
pub struct Greeter {
    greet: Greet,
}

impl Greeter {
    /// A greeter that greets as `greet` says.
    pub fn new(greet: Greet) -> Self {
        Self { greet }
    }
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = match self.greet {
            Greet::RequestName => request.into_inner().name,
            Greet::PeerCertificate => peer_common_name(&request)?,
        };
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

// ANCHOR: peer_identity
/// The common name in the subject of the certificate the client presented.
///
/// tonic keeps the verified chain in the request (`peer_certs`, leaf first) when the
/// connection is TLS; the handshake already checked it against our CA, so here we
/// only read it.
pub fn peer_common_name<T>(request: &Request<T>) -> Result<String, Status> {
    let certs = request
        .peer_certs()
        .ok_or_else(|| Status::unauthenticated("no client certificate on this connection"))?;
    let leaf = certs
        .first()
        .ok_or_else(|| Status::unauthenticated("the client sent an empty certificate chain"))?;
    let (_, cert) = X509Certificate::from_der(leaf)
        .map_err(|_| Status::unauthenticated("the client certificate cannot be parsed"))?;
    let common_name = cert
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .ok_or_else(|| {
            Status::unauthenticated("the client certificate's subject has no common name")
        })?;
    Ok(common_name.to_owned())
}
// ANCHOR_END: peer_identity
