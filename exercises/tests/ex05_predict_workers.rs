//! Exercise 5: the prediction against a real run, counted in rounds.
//!
//! Each handler holds a worker until the test ends its "second": the test waits
//! until every worker that can be busy is (an event, not a clock), ends that
//! round, and counts. 32 calls that take one second each on 6 workers take as
//! many seconds as there are rounds.

use std::sync::Arc;

use grpc_exercises::ex05_predict_workers::{CALLS, MAX_WORKERS, SECONDS};
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::sync::{Semaphore, watch};
use tonic::transport::Server;
use tonic::{Request, Response, Status};

/// The tutorial's `ThreadPoolExecutor(max_workers)`: `MAX_WORKERS` permits; a
/// call waits for one, it is never refused. A call's "second" of work lasts
/// until the test releases it.
struct Slow {
    workers: Arc<Semaphore>,
    end_of_second: Arc<Semaphore>,
    started: watch::Sender<usize>,
}

#[tonic::async_trait]
impl GreeterService for Slow {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        let closed = |_| Status::unavailable("the pool is closed");
        let _worker = self.workers.acquire().await.map_err(closed)?;
        self.started.send_modify(|n| *n += 1);
        self.end_of_second.acquire().await.map_err(closed)?.forget();
        Ok(Response::new(SayHelloResponse {
            message: format!("Hello, {name}!"),
        }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prediction_matches_a_real_run() {
    within(async {
        let (started, mut progress) = watch::channel(0);
        let end_of_second = Arc::new(Semaphore::new(0));
        let slow = Slow {
            workers: Arc::new(Semaphore::new(MAX_WORKERS)),
            end_of_second: end_of_second.clone(),
            started,
        };
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(slow))).await;
        let channel = support::connect(&server).await;

        let calls: Vec<_> = (0..CALLS)
            .map(|i| {
                let mut client = GreeterServiceClient::new(channel.clone());
                tokio::spawn(async move { client.say_hello(hello(&format!("client {i}"))).await })
            })
            .collect();
        let (mut rounds, mut answered) = (0u64, 0);
        while answered < CALLS {
            // This second's calls: every worker busy, or every call left.
            let busy = MAX_WORKERS.min(CALLS - answered);
            progress
                .wait_for(|started| started - answered >= busy)
                .await
                .expect("the server is running");
            end_of_second.add_permits(busy);
            answered += busy;
            rounds += 1;
        }
        for call in calls {
            call.await.expect("the call task").expect("SayHello");
        }
        // Only whether it matches: the number is yours to work out.
        assert!(
            SECONDS == rounds,
            "not yet: {SECONDS} s is not how long {CALLS} one-second calls take on \
             {MAX_WORKERS} workers"
        );
    })
    .await
}
