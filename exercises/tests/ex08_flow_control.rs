//! Exercise 8: while the server reads nothing, the client gets only so far.
//!
//! The test *counts* how many 4000-byte requests the client's transport has pulled
//! from the request stream while the server is holding off reading. Without a
//! small window the client hands over all of them; with it, the count stops near
//! the window. The one timing in the suite is how the test tells "stopped" from
//! "still going": no progress for [`QUIET`] on a loopback socket.

use std::sync::Arc;
use std::time::Duration;

use grpc_exercises::ex08_flow_control::{WINDOW, server_builder};
use grpc_exercises::support::{self, within};
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use tokio::sync::{Notify, watch};
use tokio_stream::StreamExt;
use tonic::{Request, Response, Status, Streaming};

/// Requests the client wants to send, and each one's size: the tutorial's 4000 chars.
const REQUESTS: usize = 100;
const REQUEST_SIZE: usize = 4000;
/// How long without progress counts as "held back".
const QUIET: Duration = Duration::from_millis(1000);

/// Reads nothing until released, then counts what arrived and answers once.
struct Busy {
    release: Arc<Notify>,
}

#[tonic::async_trait]
impl GreeterService for Busy {
    type SayHelloStream = tokio_stream::Once<Result<SayHelloResponse, Status>>;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        self.release.notified().await;
        let mut inbound = request.into_inner();
        let mut count = 0;
        while inbound.message().await?.is_some() {
            count += 1;
        }
        let reply = SayHelloResponse {
            message: count.to_string(),
        };
        Ok(Response::new(tokio_stream::once(Ok(reply))))
    }
}

/// Waits until the client has sent everything or has made no progress for [`QUIET`].
async fn settle(progress: &mut watch::Receiver<usize>) -> usize {
    while *progress.borrow_and_update() < REQUESTS {
        if tokio::time::timeout(QUIET, progress.changed())
            .await
            .is_err()
        {
            break;
        }
    }
    *progress.borrow()
}

#[tokio::test]
async fn a_busy_server_holds_the_client_back() {
    within(async {
        let release = Arc::new(Notify::new());
        let busy = Busy {
            release: release.clone(),
        };
        let router = server_builder().add_service(GreeterServiceServer::new(busy));
        let server = support::serve(router).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);

        let (pulled, mut progress) = watch::channel(0);
        let requests = tokio_stream::iter(1..=REQUESTS).map(move |i| {
            pulled.send_replace(i);
            SayHelloRequest {
                name: "1".repeat(REQUEST_SIZE),
            }
        });
        let call = tokio::spawn(async move { client.say_hello(requests).await });

        let sent = settle(&mut progress).await;
        // The window, plus what tonic and hyper buffer on the client side.
        let limit = (WINDOW as usize * 2) / REQUEST_SIZE + 8;
        assert!(
            sent <= limit,
            "the client handed over {sent} of {REQUESTS} requests ({} bytes) while the \
             server read none: nothing held it back (expected at most {limit})",
            sent * REQUEST_SIZE
        );

        release.notify_one();
        let mut answers = call
            .await
            .expect("the call task")
            .expect("SayHello")
            .into_inner();
        let answer = answers
            .message()
            .await
            .expect("an answer")
            .expect("one answer");
        assert_eq!(
            answer.message,
            REQUESTS.to_string(),
            "every request arrives in the end"
        );
    })
    .await
}
