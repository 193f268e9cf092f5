//! Exercise 16, solved: wait with the runtime's timer, which yields the thread to
//! other tasks, instead of blocking it.

use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::GreeterService;
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::{Request, Response, Status};

/// Greets after a pause, like a handler that waits on a database.
#[derive(Debug, Clone, Copy)]
pub struct SlowGreeter {
    /// How long each call waits before answering.
    pub delay: Duration,
}

#[tonic::async_trait]
impl GreeterService for SlowGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // ANCHOR: server
        tokio::time::sleep(self.delay).await;
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
        // ANCHOR_END: server
    }
}
