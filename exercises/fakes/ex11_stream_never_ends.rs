//! Exercise 11, a fake answer: the stream ends, but the producer only notices a
//! client that went away when its next greeting is due.
//! scripts/check-exercises requires these tests to fail on it:
//! fails: a_client_hanging_up_between_greetings_stops_the_producer_at_once

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

        tokio::spawn(async move {
            for i in 0..5 {
                if i > 0 {
                    tokio::time::sleep(every).await;
                }
                let reply = SayHelloResponse {
                    message: format!("Hello number {i}, {name}!"),
                };
                if tx.send(Ok(reply)).await.is_err() {
                    break;
                }
            }
            stopped.notify_one();
        });

        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
