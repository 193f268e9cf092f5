//! The service under test: the tutorial's greeter, with the checks a real one has.

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::metadata::MetadataValue;
use tonic::{Request, Response, Status};

/// The longest name the greeter accepts, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Greets a name, trimmed; refuses an empty or overlong one with
/// `INVALID_ARGUMENT` and `x-error-field: name`; echoes `x-request-id`.
#[derive(Debug, Default, Clone)]
pub struct Greeter;

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let request_id = request.metadata().get("x-request-id").cloned();
        let name = request.into_inner().name;
        let name = name.trim();
        if name.is_empty() {
            return Err(invalid_name("name must not be empty"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(invalid_name(&format!(
                "name is longer than {MAX_NAME_CHARS} characters"
            )));
        }
        let mut response = Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        });
        if let Some(id) = request_id {
            response.metadata_mut().insert("x-request-id", id);
        }
        Ok(response)
    }
}

/// `INVALID_ARGUMENT`, saying in metadata which field was wrong.
fn invalid_name(message: &str) -> Status {
    let mut status = Status::invalid_argument(message);
    status
        .metadata_mut()
        .insert("x-error-field", MetadataValue::from_static("name"));
    status
}
