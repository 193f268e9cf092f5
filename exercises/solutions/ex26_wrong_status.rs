//! Exercise 26, solved: the code says whose problem it is and whether retrying
//! can help: UNAVAILABLE (later, and `RetryInfo` says when), INVALID_ARGUMENT (fix
//! your request), NOT_FOUND (it is not there, and `ResourceInfo` says what).

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
            return Err(Status::with_error_details(
                Code::Unavailable,
                format!("closed, reopens in {reopens_in:?}"),
                ErrorDetails::with_retry_info(Some(reopens_in)),
            ));
        }
        if name.is_empty() {
            return Err(Status::invalid_argument("name must not be empty"));
        }
        if !MEMBERS.contains(&name.as_str()) {
            return Err(Status::with_error_details(
                Code::NotFound,
                format!("{name} is not a member"),
                ErrorDetails::with_resource_info("club member", name.clone(), "", "not a member"),
            ));
        }
        let message = format!("Hello, {name}!");
        Ok(Response::new(SayHelloResponse { message }))
    }
}
