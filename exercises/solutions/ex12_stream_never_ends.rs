//! Exercise 12, solved: a response stream ends when its last sender is dropped,
//! so nothing but the producer may hold one.

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

#[tonic::async_trait]
impl GreeterService for Greeter {
    type SayHelloStream = Greetings;

    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        // ANCHOR: server
        let name = request.into_inner().name;
        let (tx, rx) = mpsc::channel(4);

        // The producer owns the only sender: when it returns, the stream ends.
        tokio::spawn(async move {
            for i in 0..5 {
                let reply = SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                };
                if tx.send(Ok(reply)).await.is_err() {
                    eprintln!("the client has gone");
                    return;
                }
            }
        });

        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
        // ANCHOR_END: server
    }
}
