//! The `token` server: every call must carry `authorization: Bearer <token>`.

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use subtle::ConstantTimeEq;
use tonic::transport::Server;
use tonic::transport::server::Router;
use tonic::{Request, Status};

use crate::tls::server::Greeter;

/// An interceptor letting a call in only with exactly one `authorization: Bearer <expected>`.
/// No refusal repeats what was sent.
pub fn check_token(
    expected: String,
) -> impl Fn(Request<()>) -> Result<Request<()>, Status> + Clone {
    move |request| {
        // Exactly one: `get` would read the first of two, and a proxy the other.
        let mut sent = request.metadata().get_all("authorization").iter();
        let value = match (sent.next(), sent.next()) {
            (Some(value), None) => value,
            (None, _) => return Err(Status::unauthenticated("missing authorization metadata")),
            (Some(_), Some(_)) => {
                return Err(Status::unauthenticated(
                    "authorization metadata sent more than once",
                ));
            }
        };
        let token = bearer_token(value.as_bytes())
            .ok_or_else(|| Status::unauthenticated("expected \"Bearer <token>\""))?;
        // `ct_eq` takes as long for a near miss as for a wild guess.
        match bool::from(token.ct_eq(expected.as_bytes())) {
            true => Ok(request),
            false => Err(Status::unauthenticated("invalid bearer token")),
        }
    }
}

/// The token in `Bearer <token>`; the scheme is case-insensitive (RFC 7235).
pub fn bearer_token(value: &[u8]) -> Option<&[u8]> {
    let (scheme, token) = value.split_at_checked(b"Bearer ".len())?;
    scheme.eq_ignore_ascii_case(b"Bearer ").then_some(token)
}

/// The greeter in plaintext, for callers holding `token`, ready to `serve`.
pub fn router(token: String) -> Router {
    let greeter = GreeterServiceServer::with_interceptor(Greeter, check_token(token));
    Server::builder().add_service(greeter)
}
