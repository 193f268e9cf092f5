//! The failing greeter: validates the name, then fails on purpose by name.

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::{Request, Response, Status};

use crate::{codes, validation};

/// A greeter that fails on purpose: validation first, then a code named by the request.
#[derive(Debug, Default, Clone, Copy)]
pub struct FailingGreeter;

#[tonic::async_trait]
impl GreeterService for FailingGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        validation::validate_name(&name)?;
        if let Some(status) = codes::status_for(&name) {
            return Err(status);
        }
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

/// The failing greeter as a service, for servers that want to add layers to it.
pub fn service() -> GreeterServiceServer<FailingGreeter> {
    GreeterServiceServer::new(FailingGreeter)
}
