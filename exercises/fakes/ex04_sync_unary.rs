//! Exercise 4, a fake answer: the handler greets on the runtime's thread, not on
//! the pool, and the client makes the greeting up instead of calling.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: the_server_greets_on_the_pool plain_code_gets_its_greeting

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use sync_kit::WorkerPool;
use tonic::{Request, Response, Status};

/// The tutorial's handler body: plain, blocking code.
pub fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

/// The server: should run [`greeting`] on its pool's workers.
#[derive(Debug, Clone)]
pub struct Greeter {
    /// The threads blocking handlers run on.
    pub pool: WorkerPool,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let message = greeting(&request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// Never calls.
pub fn greet(_url: &str, name: &str) -> anyhow::Result<String> {
    Ok(format!("Hello, {name}!"))
}
