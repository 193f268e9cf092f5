//! The greeters the server serves: the tutorial's unary `SayHello` (v1), and
//! its server stream (v2) paced by `every`, long enough to outlive a reload.

use std::pin::Pin;
use std::time::Duration;

use helloworld_proto::{v1, v2};
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

/// Greets once (v1) or `messages` times, one every `every` (v2).
#[derive(Debug, Clone)]
pub struct Greeter {
    pub messages: usize,
    pub every: Duration,
}

#[tonic::async_trait]
impl v1::greeter_service_server::GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<v1::SayHelloRequest>,
    ) -> Result<Response<v1::SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(v1::SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

type Greetings = Pin<Box<dyn Stream<Item = Result<v2::SayHelloResponse, Status>> + Send>>;

#[tonic::async_trait]
impl v2::greeter_service_server::GreeterService for Greeter {
    type SayHelloStream = Greetings;

    async fn say_hello(
        &self,
        request: Request<v2::SayHelloRequest>,
    ) -> Result<Response<Greetings>, Status> {
        let name = request.into_inner().name;
        let (messages, every) = (self.messages, self.every);
        Ok(Response::new(Box::pin(async_stream::stream! {
            for i in 0..messages {
                if i > 0 {
                    tokio::time::sleep(every).await;
                }
                yield Ok(v2::SayHelloResponse { message: format!("Hello number {i}, {name}!") });
            }
        })))
    }
}
