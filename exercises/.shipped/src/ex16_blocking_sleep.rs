//! Exercise 16 (fix the bug): a blocking sleep in an async handler (chapter 3,
//! high concurrency).
//!
//! The handler pretends to do slow I/O by waiting `delay` before it answers.
//! One call at a time, it is fine. Ten at once on one runtime thread take ten
//! times as long as one: while a handler waits, nothing else on its thread runs.

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

// ANCHOR: server
#[tonic::async_trait]
impl GreeterService for SlowGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        // FIX: concurrent calls wait for each other.
        std::thread::sleep(self.delay);
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}
// ANCHOR_END: server
