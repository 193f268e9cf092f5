//! Exercise 26, a fake answer: the right codes, and no details.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: a_stranger_is_not_found_and_told_what_was_not_found a_closed_club_says_when_to_come_back

use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::{Code, Request, Response, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// The members the greeter knows.
pub const MEMBERS: [&str; 3] = ["Jack", "Rose", "Cal"];

/// Greets members; refuses an empty name and strangers, each with its own code,
/// and, while `closed_for` is set, everyone.
#[derive(Debug, Default)]
pub struct ClubGreeter {
    /// The club is closed, and reopens after this long.
    pub closed_for: Option<Duration>,
}

#[tonic::async_trait]
impl GreeterService for ClubGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        if let Some(reopens_in) = self.closed_for {
            return Err(Status::new(
                Code::Unavailable,
                format!("closed, reopens in {reopens_in:?}"),
            ));
        }
        if name.is_empty() {
            return Err(Status::invalid_argument("name must not be empty"));
        }
        if !MEMBERS.contains(&name.as_str()) {
            return Err(Status::not_found(format!("{name} is not a member")));
        }
        let message = format!("Hello, {name}!");
        Ok(Response::new(SayHelloResponse { message }))
    }
}
