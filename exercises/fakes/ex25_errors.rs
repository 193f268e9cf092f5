//! Exercise 25, a fake answer: the right code, but no field violation.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: an_empty_name_is_invalid a_long_name_is_invalid

use helloworld_proto::v1::SayHelloRequest;
use tonic::Status;

/// The longest name the greeter accepts, in characters.
pub const MAX_NAME_CHARS: usize = 32;

/// Refuses with a bare status.
pub fn validate(request: &SayHelloRequest) -> Result<(), Status> {
    match request.name.chars().count() {
        0 => Err(Status::invalid_argument("name must not be empty")),
        n if n > MAX_NAME_CHARS => Err(Status::invalid_argument("name is too long")),
        _ => Ok(()),
    }
}
