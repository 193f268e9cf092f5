//! A server-streaming greeter that keeps talking: the target for stream cancels.
//!
//! The response stream is an `async_stream` generator. tonic polls it while the
//! client reads; when the client cancels (drops its stream, hits its deadline, or
//! disconnects) HTTP/2 resets the stream and tonic *drops the generator*, so the
//! producer stops at its next `.await` without checking anything.
//!
//! A deadline is different: tonic's timer only covers the handler until it returns
//! the stream, so the generator watches the deadline itself and ends the stream
//! with `DEADLINE_EXCEEDED`.

use std::pin::Pin;
use std::time::Duration;

use helloworld_proto::v2::greeter_service_server::GreeterService;
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use lesson_kit::InFlight;
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use crate::deadline::deadline_of;

/// Streams `messages` greetings, one every `every`.
#[derive(Debug, Clone)]
pub struct Ticker {
    /// Pause between two greetings.
    pub every: Duration,
    /// How many greetings a call sends when nobody interrupts it.
    pub messages: usize,
    /// Counts streams: `completed` ones sent everything, `abandoned` ones were stopped.
    pub calls: InFlight,
}

/// What a tick produced: the next greeting, or the end because the deadline passed.
enum Tick {
    Send,
    DeadlinePassed,
}

#[tonic::async_trait]
impl GreeterService for Ticker {
    type SayHelloStream = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let deadline = deadline_of(&request);
        let name = request.into_inner().name;
        let (every, messages) = (self.every, self.messages);
        let call = self.calls.enter();
        let stream = async_stream::stream! {
            // Owned by the generator: dropped (and counted) when tonic drops the stream.
            let call = call;
            let mut ticks = tokio::time::interval(every);
            for i in 0..messages {
                let tick = tokio::select! {
                    _ = ticks.tick() => Tick::Send,
                    () = sleep_until(deadline) => Tick::DeadlinePassed,
                };
                match tick {
                    Tick::Send => yield Ok(SayHelloResponse {
                        message: format!("Hello number {i}, {name}!"),
                    }),
                    Tick::DeadlinePassed => {
                        yield Err(Status::deadline_exceeded(format!("deadline passed after {i} messages")));
                        return;
                    }
                }
            }
            call.complete();
        };
        Ok(Response::new(Box::pin(stream)))
    }
}

/// Sleeps until `deadline`, or forever when there is none.
async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}
