//! Exercise 26 (fix the bug): the wrong status codes (beyond the tutorial,
//! errors).
//!
//! A greeter for club members only. It answers members, and refuses everyone
//! else, and it is wrong anyway: a client decides what to do from the *code*
//! (fix its request? retry? give up?), and these codes tell it the wrong thing.
//! An empty name is the caller's mistake; an unknown name is not there, and
//! asking again will not make it appear.

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::{Request, Response, Status};

/// The members the greeter knows.
pub const MEMBERS: [&str; 3] = ["Jack", "Rose", "Cal"];

/// Greets members; refuses an empty name and strangers, each with its own code.
#[derive(Debug, Default)]
pub struct ClubGreeter;

// ANCHOR: server
#[tonic::async_trait]
impl GreeterService for ClubGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        // FIX: clients retry the stranger forever, and treat the empty name as a
        // server crash.
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
// ANCHOR_END: server
