//! Exercise 20, solved: a bearer token on every call.

use tonic::metadata::MetadataValue;
use tonic::{Request, Status};

/// The shared secret. Real servers load it from configuration, never from code.
pub const TOKEN: &str = "workshop-token";

/// Server interceptor: lets a request through only with `authorization: Bearer TOKEN`.
pub fn check_token(request: Request<()>) -> Result<Request<()>, Status> {
    // ANCHOR: server
    let presented = request.metadata().get("authorization");
    match presented.and_then(|value| value.to_str().ok()) {
        Some(value) if value.strip_prefix("Bearer ") == Some(TOKEN) => Ok(request),
        Some(_) => Err(Status::unauthenticated("invalid token")),
        None => Err(Status::unauthenticated(
            "missing `authorization: Bearer <token>`",
        )),
    }
    // ANCHOR_END: server
}

/// Client interceptor: adds `authorization: Bearer TOKEN` to every request.
pub fn attach_token(mut request: Request<()>) -> Result<Request<()>, Status> {
    // ANCHOR: client
    let value = MetadataValue::try_from(format!("Bearer {TOKEN}"))
        .map_err(|_| Status::internal("the token is not valid header text"))?;
    request.metadata_mut().insert("authorization", value);
    Ok(request)
    // ANCHOR_END: client
}
