//! The greeters being drained: a slow unary one and a streaming one, both counted.
//!
//! Every call holds an [`InFlight`] guard, and every streamed message is counted
//! when it is handed to tonic, so a test can compare "sent by the server" with
//! "received by the client" after a shutdown.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use helloworld_proto::{v1, v2};
use lesson_kit::{Console, InFlight};
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

/// What the server counts: calls in flight, and streamed messages handed to tonic.
#[derive(Debug, Clone, Default)]
pub struct Counters {
    /// Calls (unary and streaming) in progress, completed, abandoned.
    pub calls: InFlight,
    /// Streamed messages the server produced.
    pub streamed: Arc<AtomicUsize>,
}

impl Counters {
    /// Streamed messages produced so far.
    pub fn streamed(&self) -> usize {
        self.streamed.load(Ordering::SeqCst)
    }
}

/// Unary greeter that works `work` per call.
#[derive(Debug, Clone)]
pub struct SlowGreeter {
    /// How long each call works.
    pub work: Duration,
    /// Shared counters.
    pub counters: Counters,
    /// Where the server prints.
    pub console: Console,
}

#[tonic::async_trait]
impl v1::greeter_service_server::GreeterService for SlowGreeter {
    async fn say_hello(
        &self,
        request: Request<v1::SayHelloRequest>,
    ) -> Result<Response<v1::SayHelloResponse>, Status> {
        let call = self.counters.calls.enter();
        let name = request.into_inner().name;
        self.console.line(format!("server: working for {name}"));
        tokio::time::sleep(self.work).await;
        call.complete();
        Ok(Response::new(v1::SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

/// Streaming greeter: `messages` greetings, one every `every`.
#[derive(Debug, Clone)]
pub struct StreamingGreeter {
    /// Pause between greetings.
    pub every: Duration,
    /// Greetings per call.
    pub messages: usize,
    /// Shared counters.
    pub counters: Counters,
}

#[tonic::async_trait]
impl v2::greeter_service_server::GreeterService for StreamingGreeter {
    type SayHelloStream = Pin<Box<dyn Stream<Item = Result<v2::SayHelloResponse, Status>> + Send>>;

    async fn say_hello(
        &self,
        request: Request<v2::SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let name = request.into_inner().name;
        let (every, messages) = (self.every, self.messages);
        let counters = self.counters.clone();
        let call = counters.calls.enter();
        let stream = async_stream::stream! {
            let call = call;
            for i in 0..messages {
                tokio::time::sleep(every).await;
                counters.streamed.fetch_add(1, Ordering::SeqCst);
                yield Ok(v2::SayHelloResponse { message: format!("Hello number {i}, {name}!") });
            }
            call.complete();
        };
        Ok(Response::new(Box::pin(stream)))
    }
}
