//! Exercise 11, solved: a response stream ends when its last sender is dropped,
//! so nothing but the producer may hold one; and the producer waits for its next
//! greeting and for the client going away at once.

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

        // The producer owns the only sender: when it returns, the stream ends.
        tokio::spawn(async move {
            for i in 0..5 {
                if i > 0 {
                    tokio::select! {
                        () = tokio::time::sleep(every) => {}
                        () = tx.closed() => {
                            eprintln!("the client has gone");
                            break;
                        }
                    }
                }
                let reply = SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                };
                if tx.send(Ok(reply)).await.is_err() {
                    eprintln!("the client has gone");
                    break;
                }
            }
            stopped.notify_one();
        });

        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
