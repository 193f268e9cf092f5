//! Exercise 25: fail with a status the caller can act on (beyond the tutorial, errors).
//!
//! A bad request is the caller's fault: answer `INVALID_ARGUMENT`, and say *which*
//! field is wrong in a machine-readable `BadRequest` detail (the richer error
//! model of `google.rpc.Status`), so a client can point at the field instead of
//! parsing an English message. The test's server calls [`validate`] first thing
//! in `say_hello`, as `validate(request.get_ref())?;`.

use helloworld_proto::v1::SayHelloRequest;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// The longest name the greeter accepts, in characters.
pub const MAX_NAME_CHARS: usize = 32;

// ANCHOR: validate
/// Checks a request before any work is done on it.
///
/// An empty `name`, or one longer than [`MAX_NAME_CHARS`] characters, is
/// `INVALID_ARGUMENT` with a `BadRequest` field violation on the field `name`.
pub fn validate(request: &SayHelloRequest) -> Result<(), Status> {
    // TODO: return Ok(()) for a good name; otherwise an INVALID_ARGUMENT status
    // whose details name the `name` field and say what is wrong with it.
    todo!("validate the name")
}
// ANCHOR_END: validate
