// ANCHOR: part1
//! Validation failures with machine-readable details (`google.rpc` error model).
//!
//! A bare `INVALID_ARGUMENT: bad name` tells a human something; a program needs
//! to know *which field* and *why*. The richer error model packs standard
//! messages into the status's `grpc-status-details-bin` trailer:
//! - `BadRequest` lists field violations (`name`: "must not be empty"),
//! - `ErrorInfo` gives a stable machine `reason`, a `domain`, and key/value metadata.
//!
//! `tonic-types` builds them on the server ([`StatusExt::with_error_details`]) and
//! decodes them on the client ([`StatusExt::get_error_details`]). grpcio, grpc-go and
//! grpc-java clients decode the same trailer.

use std::collections::HashMap;

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// The longest name we greet, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// The `ErrorInfo.domain` of our errors: who defines the `reason` values.
pub const DOMAIN: &str = "tutorial.helloworld.v1";
// ANCHOR_END: part1

// ANCHOR: validate
/// Checks a name; a failure is `INVALID_ARGUMENT` with `BadRequest` and `ErrorInfo` details.
pub fn validate_name(name: &str) -> Result<(), Status> {
    let chars = name.chars().count();
    let (reason, description) = if name.trim().is_empty() {
        ("NAME_EMPTY", "must not be empty".to_owned())
    } else if chars > MAX_NAME_CHARS {
        (
            "NAME_TOO_LONG",
            format!("must be at most {MAX_NAME_CHARS} characters, got {chars}"),
        )
    } else {
        return Ok(());
    };
    let mut details = ErrorDetails::new();
    details.add_bad_request_violation("name", description);
    details.set_error_info(
        reason,
        DOMAIN,
        HashMap::from([
            ("maxChars".to_owned(), MAX_NAME_CHARS.to_string()),
            ("gotChars".to_owned(), chars.to_string()),
        ]),
    );
    Err(Status::with_error_details(
        Code::InvalidArgument,
        "the request has invalid fields",
        details,
    ))
}
// ANCHOR_END: validate

// ANCHOR: explain
/// The details a client decodes from a status, one line each.
pub fn explain(status: &Status) -> Vec<String> {
    let details = status.get_error_details();
    let mut lines = Vec::new();
    if let Some(bad_request) = details.bad_request() {
        for violation in &bad_request.field_violations {
            lines.push(format!(
                "  BadRequest: field `{}` {}",
                violation.field, violation.description
            ));
        }
    }
    if let Some(info) = details.error_info() {
        let mut metadata: Vec<_> = info.metadata.iter().collect();
        metadata.sort();
        lines.push(format!(
            "  ErrorInfo: reason {} in {} {:?}",
            info.reason, info.domain, metadata
        ));
    }
    lines
}
// ANCHOR_END: explain

// ANCHOR: part2
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_within_the_limit_pass() {
        assert!(validate_name("Jack").is_ok());
        assert!(validate_name(&"é".repeat(MAX_NAME_CHARS)).is_ok());
    }

    #[test]
    fn failures_carry_both_details() {
        let status = validate_name(&"x".repeat(MAX_NAME_CHARS + 1)).unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument);
        let details = status.get_error_details();
        assert_eq!(
            details.bad_request().unwrap().field_violations[0].field,
            "name"
        );
        assert_eq!(details.error_info().unwrap().reason, "NAME_TOO_LONG");
        assert_eq!(
            validate_name("  ")
                .unwrap_err()
                .get_error_details()
                .error_info()
                .unwrap()
                .reason,
            "NAME_EMPTY"
        );
    }
}
// ANCHOR_END: part2
