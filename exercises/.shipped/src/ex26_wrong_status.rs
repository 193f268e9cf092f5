//! Exercise 26 (fix the bugs): the wrong status codes, and no details (beyond
//! the tutorial, errors).
//!
//! A greeter for club members only. It answers members, and refuses everyone
//! else, and it is wrong anyway: a client decides what to do from the *code*
//! (fix its request? retry? give up?), and these codes tell it the wrong thing.
//! An empty name is the caller's mistake; an unknown name is not there, and
//! asking again will not make it appear; a closed club is there again later.
//! And a program needs more than the code: which resource was not found (a
//! `ResourceInfo`: type `club member`, the name), and when to come back (a
//! `RetryInfo` with the time until the club reopens).

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
        // FIX: clients give up on a closed club, retry the stranger forever, and
        // treat the empty name as a server crash; and none is told any more.
        if let Some(reopens_in) = self.closed_for {
            return Err(Status::internal(format!(
                "closed, reopens in {reopens_in:?}"
            )));
        }
        if name.is_empty() {
            return Err(Status::internal("name must not be empty"));
        }
        if !MEMBERS.contains(&name.as_str()) {
            return Err(Status::unavailable(format!("{name} is not a member")));
        }
        let message = format!("Hello, {name}!");
        Ok(Response::new(SayHelloResponse { message }))
    }
}
