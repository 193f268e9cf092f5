//! Exercise 11 (fix the bugs): a response stream that never ends, and a producer
//! that outlives its client (chapter 3, async server streaming).
//!
//! The handler streams five greetings through a channel, from a task it spawns,
//! and watches for the client going away. The greetings all arrive; the call
//! never finishes. A channel's stream ends when every sender is gone. And a
//! client that hangs up between two greetings leaves the task asleep, holding
//! its resources, until the next greeting is due: it should stop at once.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use helloworld_proto::v2::greeter_service_server::GreeterService;
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use tokio::sync::{Notify, mpsc};
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

/// The stream the handler returns.
pub type Greetings = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

/// Streams `Hello number {i}, {name}!` for `i` in 0..5, `every` apart, then ends
/// the call. Its producer task notifies `stopped` when it is done.
#[derive(Debug, Default, Clone)]
pub struct Greeter {
    pub every: Duration,
    pub stopped: Arc<Notify>,
}

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = Greetings;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let name = request.into_inner().name;
        let (tx, rx) = mpsc::channel(4);
        let (every, stopped) = (self.every, self.stopped.clone());

        let producer = tx.clone();
        tokio::spawn(async move {
            for i in 0..5 {
                if i > 0 {
                    // FIX: asleep here, the task misses a client that went away.
                    tokio::time::sleep(every).await;
                }
                let reply = SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                };
                if producer.send(Ok(reply)).await.is_err() {
                    break; // the client went away
                }
            }
            stopped.notify_one();
        });

        // FIX: every greeting arrives, and then the call never ends.
        tokio::spawn(async move {
            tx.closed().await;
            eprintln!("the client has gone");
        });

        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
