//! Exercise 5: the prediction against a real run, one second scaled to 300 ms.

use std::sync::Arc;
use std::time::{Duration, Instant};

use grpc_exercises::ex05_predict_workers::{CALLS, MAX_WORKERS, SECONDS};
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::sync::Semaphore;
use tonic::transport::Server;
use tonic::{Request, Response, Status};

/// The demo's one second, scaled down.
const SECOND: Duration = Duration::from_millis(300);

/// Blocks for one (scaled) second on a worker, then greets. The pool is the
/// tutorial's `ThreadPoolExecutor(max_workers)`: `MAX_WORKERS` permits in front
/// of blocking threads; a call waits for a permit, it is never refused.
struct Slow {
    workers: Arc<Semaphore>,
}

#[tonic::async_trait]
impl GreeterService for Slow {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let name = request.into_inner().name;
        let permit = self.workers.clone().acquire_owned().await;
        let permit = permit.map_err(|_| Status::unavailable("the pool is closed"))?;
        let message = tokio::task::spawn_blocking(move || {
            let _worker = permit;
            std::thread::sleep(SECOND);
            format!("Hello, {name}!")
        })
        .await
        .map_err(|_| Status::internal("the handler panicked"))?;
        Ok(Response::new(SayHelloResponse { message }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prediction_matches_a_real_run() {
    within(async {
        let slow = Slow {
            workers: Arc::new(Semaphore::new(MAX_WORKERS)),
        };
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(slow))).await;
        let channel = support::connect(&server).await;

        let start = Instant::now();
        let calls = (0..CALLS).map(|i| {
            let mut client = GreeterServiceClient::new(channel.clone());
            tokio::spawn(async move { client.say_hello(hello(&format!("client {i}"))).await })
        });
        for call in futures::future::join_all(calls).await {
            call.expect("the call task").expect("SayHello");
        }
        let elapsed = start.elapsed();
        // Whole scaled seconds: overheads add milliseconds, never a whole second.
        let measured = (elapsed.as_millis() / SECOND.as_millis()) as u64;
        assert_eq!(
            SECONDS, measured,
            "you predicted {SECONDS} s; {CALLS} calls on {MAX_WORKERS} workers took \
             {elapsed:?} with 1 s scaled to {SECOND:?}, that is {measured} s"
        );
    })
    .await
}
