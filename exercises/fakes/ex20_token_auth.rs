//! Exercise 20, a fake answer: the server compares the first `authorization`
//! value (constant-time, but case-sensitive and ignoring a second one), and the
//! client never marks the token sensitive.
//! fails: the_scheme_is_matched_in_any_case two_authorization_headers_are_refused_in_either_order the_client_marks_the_token_sensitive

use subtle::ConstantTimeEq;
use tonic::metadata::MetadataValue;
use tonic::{Request, Status};

pub const TOKEN: &str = "workshop-token";

pub fn check_token(request: Request<()>) -> Result<Request<()>, Status> {
    let expected = format!("Bearer {TOKEN}");
    match request.metadata().get("authorization") {
        Some(value) if bool::from(value.as_bytes().ct_eq(expected.as_bytes())) => Ok(request),
        _ => Err(Status::unauthenticated("invalid token")),
    }
}

pub fn attach_token(mut request: Request<()>) -> Result<Request<()>, Status> {
    let value = MetadataValue::try_from(format!("Bearer {TOKEN}"))
        .map_err(|_| Status::internal("the token is not valid header text"))?;
    request.metadata_mut().insert("authorization", value);
    Ok(request)
}
