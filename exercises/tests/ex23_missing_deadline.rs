//! Exercise 23: a call to a server that never answers ends at its deadline, and the
//! server was told the deadline.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use grpc_exercises::ex23_missing_deadline::greet_with_deadline;
use grpc_exercises::support::{self, greeter::Hello, within};
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Server;
use tonic::{Code, Request, Response, Status};

/// Never answers; remembers the `grpc-timeout` header each call arrived with.
#[derive(Clone, Default)]
struct Stuck {
    timeouts: Arc<Mutex<Vec<Option<String>>>>,
}

#[tonic::async_trait]
impl GreeterService for Stuck {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let header = request.metadata().get("grpc-timeout");
        let header = header.and_then(|v| v.to_str().ok()).map(str::to_owned);
        self.timeouts.lock().unwrap().push(header);
        std::future::pending().await
    }
}

#[tokio::test]
async fn a_stuck_server_cannot_hold_the_caller() {
    within(async {
        let stuck = Stuck::default();
        let router = Server::builder().add_service(GreeterServiceServer::new(stuck.clone()));
        let server = support::serve(router).await;
        let channel = support::connect(&server).await;
        let call = greet_with_deadline(channel, "Jack", Duration::from_millis(200));
        let outcome = tokio::time::timeout(Duration::from_secs(3), call)
            .await
            .expect("with a 200 ms deadline the call was still waiting after 3 s");
        let status = outcome.expect_err("the server never answers");
        assert!(
            matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled),
            "the call should end at its deadline, not with {status:?}"
        );
        let timeouts = stuck.timeouts.lock().unwrap().clone();
        assert!(
            matches!(timeouts.as_slice(), [Some(_)]),
            "the server should receive the deadline as `grpc-timeout`, got {timeouts:?}"
        );
    })
    .await
}

#[tokio::test]
async fn a_prompt_server_answers_within_the_deadline() {
    within(async {
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(Hello))).await;
        let channel = support::connect(&server).await;
        let outcome = greet_with_deadline(channel, "Ann", Duration::from_secs(5)).await;
        assert_eq!(outcome.expect("a prompt answer"), "Hello, Ann!");
    })
    .await
}
