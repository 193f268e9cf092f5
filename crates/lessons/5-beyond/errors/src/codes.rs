// ANCHOR: part1
//! The status codes, each with the situation a learner meets it in.
//!
//! gRPC has 17 codes (`OK` plus 16 errors). A handler returns one as
//! `Err(Status::new(code, message))`; the client gets the same code and message in
//! the `grpc-status` / `grpc-message` trailers. The library also produces some by
//! itself: `UNAVAILABLE` (no connection), `UNIMPLEMENTED` (unknown method),
//! `DEADLINE_EXCEEDED`/`CANCELLED` (see the deadlines lesson), `RESOURCE_EXHAUSTED`
//! (message too large), `INTERNAL` (a broken response).

use tonic::Code;
// ANCHOR_END: part1

// ANCHOR: codes
/// Every error code, the request name that makes our server return it, and a
/// message that says when real servers use it.
pub const CODES: [(&str, Code, &str); 16] = [
    (
        "cancelled",
        Code::Cancelled,
        "the caller cancelled the call",
    ),
    (
        "unknown",
        Code::Unknown,
        "an error with no better code (also: a handler's unmapped error)",
    ),
    (
        "invalid-argument",
        Code::InvalidArgument,
        "the request is malformed, whatever the server's state",
    ),
    (
        "deadline-exceeded",
        Code::DeadlineExceeded,
        "the deadline passed before the work finished",
    ),
    (
        "not-found",
        Code::NotFound,
        "no greeting for this name exists",
    ),
    (
        "already-exists",
        Code::AlreadyExists,
        "this name was already greeted",
    ),
    (
        "permission-denied",
        Code::PermissionDenied,
        "the caller is known but may not do this",
    ),
    (
        "resource-exhausted",
        Code::ResourceExhausted,
        "a quota, rate limit or size limit was hit",
    ),
    (
        "failed-precondition",
        Code::FailedPrecondition,
        "the system is not in a state to do this (do not retry as is)",
    ),
    (
        "aborted",
        Code::Aborted,
        "a concurrency conflict; retry the whole transaction",
    ),
    (
        "out-of-range",
        Code::OutOfRange,
        "a valid kind of value, but past the end (e.g. a page number)",
    ),
    (
        "unimplemented",
        Code::Unimplemented,
        "this method or option is not supported",
    ),
    (
        "internal",
        Code::Internal,
        "an invariant broke inside the server",
    ),
    (
        "unavailable",
        Code::Unavailable,
        "try again later, ideally with backoff",
    ),
    (
        "data-loss",
        Code::DataLoss,
        "unrecoverable data loss or corruption",
    ),
    (
        "unauthenticated",
        Code::Unauthenticated,
        "no valid credentials came with the call",
    ),
];
// ANCHOR_END: codes

// ANCHOR: part2
/// The status our server answers for a request `name`, if it names a code.
pub fn status_for(name: &str) -> Option<tonic::Status> {
    CODES
        .iter()
        .find(|(trigger, _, _)| *trigger == name)
        .map(|(_, code, message)| tonic::Status::new(*code, *message))
}

/// The code's name as the gRPC spec and other languages print it (`NOT_FOUND`).
pub fn spec_name(code: Code) -> String {
    let mut name = String::new();
    for (i, c) in format!("{code:?}").chars().enumerate() {
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
    fn every_error_code_is_listed_once() {
        let mut codes: Vec<i32> = CODES.iter().map(|(_, code, _)| *code as i32).collect();
        codes.sort();
        assert_eq!(codes, (1..=16).collect::<Vec<_>>());
    }

    #[test]
    fn names_match_the_spec() {
        assert_eq!(spec_name(Code::NotFound), "NOT_FOUND");
        assert_eq!(spec_name(Code::Ok), "OK");
        assert_eq!(spec_name(Code::DeadlineExceeded), "DEADLINE_EXCEEDED");
    }
}
// ANCHOR_END: part2
