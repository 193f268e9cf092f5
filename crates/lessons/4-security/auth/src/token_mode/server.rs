//! The `token` server: every call must carry `authorization: Bearer <token>`.

use std::error::Error;
use std::future::Future;

use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Status};

use crate::greeter::{Greet, Greeter};

// ANCHOR: check
/// The server's side of token call credentials: an interceptor that lets a call
/// in only with exactly one `authorization: Bearer <expected>`.
///
/// Every refusal is `UNAUTHENTICATED`, and no message repeats what was sent.
pub fn check_token(
    expected: String,
) -> impl Fn(Request<()>) -> Result<Request<()>, Status> + Clone {
    move |request| {
        // `get` would read the first value only: with two headers a proxy or a
        // log might look at the other one. Exactly one, or the call is refused.
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
        if bool::from(token.ct_eq(expected.as_bytes())) {
            Ok(request)
        } else {
            Err(Status::unauthenticated("invalid bearer token"))
        }
    }
}

/// The token in an `authorization` value `Bearer <token>`; the scheme's name is
/// case-insensitive (RFC 7235), so `bearer` and `BEARER` count too.
pub fn bearer_token(value: &[u8]) -> Option<&[u8]> {
    let (scheme, token) = value.split_at_checked(b"Bearer ".len())?;
    scheme.eq_ignore_ascii_case(b"Bearer ").then_some(token)
}
// ANCHOR_END: check

// ANCHOR: server
/// Serves the greeter on `listener`, in plaintext, to callers holding `token`.
pub async fn serve(
    listener: TcpListener,
    token: String,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn Error + Send + Sync>> {
    let greeter = Greeter::new(Greet::RequestName);
    // Nagle off, as tonic does when it binds a port itself: a small reply
    // should not wait for the ACK of the one before.
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    Server::builder()
        .add_service(GreeterServiceServer::with_interceptor(
            greeter,
            check_token(token),
        ))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await?;
    Ok(())
}
// ANCHOR_END: server
