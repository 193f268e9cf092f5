//! A finished unary greeter, for tests whose exercise is about something else
//! (TLS, tokens, signing, flow control) and must not depend on another exercise's holes.

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::{Request, Response, Status};

/// Replies `Hello, <name>!`, as the tutorial's unary server does.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hello;

#[tonic::async_trait]
impl GreeterService for Hello {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// A v1 request for `name`.
pub fn hello(name: &str) -> SayHelloRequest {
    SayHelloRequest {
        name: name.to_owned(),
    }
}
