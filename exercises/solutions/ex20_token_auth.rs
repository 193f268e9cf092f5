//! Exercise 20, solved: a bearer token on every call.

use subtle::ConstantTimeEq;
use tonic::metadata::MetadataValue;
use tonic::{Request, Status};

/// The shared secret. Real servers load it from configuration, never from code.
pub const TOKEN: &str = "workshop-token";

/// Server interceptor: lets a request through only with `authorization: Bearer TOKEN`.
pub fn check_token(request: Request<()>) -> Result<Request<()>, Status> {
    // ANCHOR: server
    // Two `authorization` values are refused: which one would count is ambiguous.
    let mut presented = request.metadata().get_all("authorization").iter();
    let (Some(value), None) = (presented.next(), presented.next()) else {
        return Err(Status::unauthenticated(
            "send exactly one `authorization: Bearer <token>`",
        ));
    };
    let token = value
        .as_bytes()
        .split_at_checked(7)
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case(b"Bearer "))
        .map(|(_, token)| token);
    // Constant-time: how long a comparison takes must not tell how much matched.
    match token {
        Some(token) if bool::from(token.ct_eq(TOKEN.as_bytes())) => Ok(request),
        _ => Err(Status::unauthenticated("invalid token")),
    }
    // ANCHOR_END: server
}

/// Client interceptor: adds `authorization: Bearer TOKEN` to every request.
pub fn attach_token(mut request: Request<()>) -> Result<Request<()>, Status> {
    // ANCHOR: client
    let mut value = MetadataValue::try_from(format!("Bearer {TOKEN}"))
        .map_err(|_| Status::internal("the token is not valid header text"))?;
    // Sensitive: HPACK never indexes it, and debug output hides it.
    value.set_sensitive(true);
    request.metadata_mut().insert("authorization", value);
    Ok(request)
    // ANCHOR_END: client
}
