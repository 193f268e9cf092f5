//! Exercise 26, solved: the code says whose problem it is and whether retrying
//! can help: INVALID_ARGUMENT (fix your request), NOT_FOUND (it is not there).

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::{Request, Response, Status};

/// The members the greeter knows.
pub const MEMBERS: [&str; 3] = ["Jack", "Rose", "Cal"];

/// Greets members; refuses an empty name and strangers, each with its own code.
#[derive(Debug, Default)]
pub struct ClubGreeter;

#[tonic::async_trait]
impl GreeterService for ClubGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // ANCHOR: server
        let name = request.into_inner().name;
        if name.is_empty() {
            return Err(Status::invalid_argument("name must not be empty"));
        }
        if !MEMBERS.contains(&name.as_str()) {
            return Err(Status::not_found(format!("{name} is not a member")));
        }
        let message = format!("Hello, {name}!");
        Ok(Response::new(SayHelloResponse { message }))
        // ANCHOR_END: server
    }
}
