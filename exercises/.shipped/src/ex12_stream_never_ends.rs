//! Exercise 12 (fix the bug): a response stream that never ends (chapter 3,
//! async server streaming).
//!
//! The handler streams five greetings through a channel, from a task it spawns,
//! and watches for the client going away. The greetings all arrive; the call
//! never finishes. A channel's stream ends when every sender is gone.

use std::pin::Pin;

use helloworld_proto::v2::greeter_service_server::GreeterService;
use helloworld_proto::v2::{SayHelloRequest, SayHelloResponse};
use tokio::sync::mpsc;
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

/// The stream the handler returns.
pub type Greetings = Pin<Box<dyn Stream<Item = Result<SayHelloResponse, Status>> + Send>>;

/// Streams `Hello number {i}, {name}!` for `i` in 0..5, then ends the call.
#[derive(Debug, Default)]
pub struct Greeter;

// ANCHOR: server
#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = Greetings;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let name = request.into_inner().name;
        let (tx, rx) = mpsc::channel(4);

        let producer = tx.clone();
        tokio::spawn(async move {
            for i in 0..5 {
                let reply = SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                };
                if producer.send(Ok(reply)).await.is_err() {
                    return; // the client went away
                }
            }
        });

        // FIX: every greeting arrives, and then the call never ends.
        tokio::spawn(async move {
            tx.closed().await;
            eprintln!("the client has gone");
        });

        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
// ANCHOR_END: server
