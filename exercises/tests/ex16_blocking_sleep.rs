//! Exercise 16: ten calls at once, on one runtime thread, take about as long as
//! one.

use std::time::{Duration, Instant};

use grpc_exercises::ex16_blocking_sleep::SlowGreeter;
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

const DELAY: Duration = Duration::from_millis(150);
const CALLS: u32 = 10;

/// `#[tokio::test]` runs everything, server and clients, on one thread: the
/// async runtime as a small server would have it.
#[tokio::test]
async fn ten_slow_calls_overlap() {
    within(async {
        let greeter = SlowGreeter { delay: DELAY };
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(greeter))).await;
        let channel = support::connect(&server).await;

        let start = Instant::now();
        let calls = (0..CALLS).map(|i| {
            let mut client = GreeterServiceClient::new(channel.clone());
            async move { client.say_hello(hello(&format!("client {i}"))).await }
        });
        for reply in futures::future::join_all(calls).await {
            reply.expect("SayHello");
        }
        let elapsed = start.elapsed();
        assert!(
            elapsed < DELAY * 4,
            "{CALLS} calls that each wait {DELAY:?} took {elapsed:?}: they ran one after \
             another, so each handler's wait held the runtime's only thread"
        );
        assert!(elapsed >= DELAY, "every call still waits its {DELAY:?}");
    })
    .await
}
