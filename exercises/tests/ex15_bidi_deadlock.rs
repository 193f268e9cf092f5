//! Exercise 15: 1 000 names of 4 000 characters through 64 KiB windows, in both
//! directions, within a deadline. A client that sends everything first never
//! finishes: the test's deadline turns that into a failure, not a hang.

use std::time::Duration;

use grpc_exercises::ex15_bidi_deadlock::greet_all;
use grpc_exercises::support::{self, within};
use helloworld_proto::v3::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v3::{SayHelloRequest, SayHelloResponse};
use tokio_stream::StreamExt;
use tonic::transport::Server;
use tonic::{Request, Response, Status, Streaming};

const WINDOW: u32 = 65_535;
const NAMES: usize = 1_000;
const NAME_CHARS: usize = 4_000;
/// Far longer than 8 MB take over loopback, even in a debug build.
const DEADLINE: Duration = Duration::from_secs(5);

/// Answers each request as it arrives (the async bidi lesson's server).
struct Echo;

#[tonic::async_trait]
impl GreeterService for Echo {
    type SayHelloStream = std::pin::Pin<
        Box<dyn tokio_stream::Stream<Item = Result<SayHelloResponse, Status>> + Send>,
    >;

    async fn say_hello(
        &self,
        request: Request<Streaming<SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let answers = request.into_inner().map(|request| {
            request.map(|request| SayHelloResponse {
                message: format!("Hello, {}!", request.name),
            })
        });
        Ok(Response::new(Box::pin(answers)))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_long_names_through_small_windows() {
    within(async {
        let router = Server::builder()
            .initial_stream_window_size(WINDOW)
            .initial_connection_window_size(WINDOW)
            .http2_adaptive_window(Some(false))
            .add_service(GreeterServiceServer::new(Echo));
        let server = support::serve(router).await;
        let channel = support::endpoint(&server)
            .initial_stream_window_size(WINDOW)
            .initial_connection_window_size(WINDOW)
            .http2_adaptive_window(false)
            .connect()
            .await
            .expect("connect");

        let names: Vec<String> = (0..NAMES)
            .map(|i| format!("{i:04}{}", "x".repeat(NAME_CHARS - 4)))
            .collect();
        let outcome = tokio::time::timeout(DEADLINE, greet_all(channel, names.clone())).await;
        let greetings = outcome
            .unwrap_or_else(|_| {
                panic!(
                    "greet_all had not finished after {DEADLINE:?}: deadlocked. The server \
                     answers each name; while nobody reads its answers, the answers fill the \
                     client's window, the server stops reading, the names fill the server's \
                     window, and the client's send waits forever"
                )
            })
            .expect("greet_all");
        assert_eq!(greetings.len(), NAMES, "one answer per name");
        for (greeting, name) in greetings.iter().zip(&names) {
            assert_eq!(greeting, &format!("Hello, {name}!"));
        }
    })
    .await
}
