//! The tutorial's two greeters: v1 answers once, v2 streams its greetings.
//! An empty name is refused with `INVALID_ARGUMENT`, so a caller sees a real status.

use std::pin::Pin;
use std::time::Duration;

use helloworld_proto::{v1, v2};
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

/// The unary greeter (`tutorial.helloworld.v1`).
#[derive(Debug, Clone, Default)]
pub struct Greeter;

#[tonic::async_trait]
impl v1::greeter_service_server::GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<v1::SayHelloRequest>,
    ) -> Result<Response<v1::SayHelloResponse>, Status> {
        let name = checked_name(request.into_inner().name)?;
        Ok(Response::new(v1::SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

/// The server-streaming greeter (`tutorial.helloworld.v2`): `count` greetings, `every` apart.
#[derive(Debug, Clone)]
pub struct StreamingGreeter {
    pub count: u32,
    pub every: Duration,
}

/// A boxed stream of greetings: an `async_stream` block has no nameable type.
pub type GreetingStream = Pin<Box<dyn Stream<Item = Result<v2::SayHelloResponse, Status>> + Send>>;

#[tonic::async_trait]
impl v2::greeter_service_server::GreeterService for StreamingGreeter {
    type SayHelloStream = GreetingStream;

    async fn say_hello(
        &self,
        request: Request<v2::SayHelloRequest>,
    ) -> Result<Response<GreetingStream>, Status> {
        let name = checked_name(request.into_inner().name)?;
        let Self { count, every } = self.clone();
        let greetings = async_stream::stream! {
            for i in 0..count {
                tokio::time::sleep(every).await;
                yield Ok(v2::SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                });
            }
        };
        Ok(Response::new(Box::pin(greetings)))
    }
}

fn checked_name(name: String) -> Result<String, Status> {
    if name.trim().is_empty() {
        return Err(Status::invalid_argument("name must not be empty"));
    }
    Ok(name)
}
