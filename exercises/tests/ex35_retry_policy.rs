//! Exercise 35: the policy retries UNAVAILABLE on an idempotent method until the
//! call succeeds, and nothing else: not a method off the list, not
//! INVALID_ARGUMENT, not past `max_attempts`, not past the deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use grpc_exercises::ex35_retry_policy::{Call, RetryPolicy, SAY_HELLO, SayHello};
use grpc_exercises::support::greeter::hello;
use grpc_exercises::support::reference::random_name;
use grpc_exercises::support::{connect, serve, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::time::Instant;
use tonic::transport::Server;
use tonic::{Code, Request, Response, Status};
use tower::ServiceExt;
use tower::retry::Retry;

/// Fails its first `fail_first` calls with `code`, counting every call.
#[derive(Clone)]
struct Failing {
    fail_first: usize,
    code: Code,
    received: Arc<AtomicUsize>,
}

#[tonic::async_trait]
impl GreeterService for Failing {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let nth = self.received.fetch_add(1, Ordering::SeqCst) + 1;
        if nth <= self.fail_first {
            return Err(Status::new(self.code, format!("call {nth} fails")));
        }
        let message = format!("Hello, {}!", request.into_inner().name);
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// Serves a `Failing` greeter, makes one call through `policy`, and returns what
/// it answered and how many calls the server received.
async fn call_through(
    policy: RetryPolicy,
    fail_first: usize,
    code: Code,
    timeout: Duration,
) -> (Result<SayHelloResponse, Status>, usize) {
    let received = Arc::new(AtomicUsize::new(0));
    let service = Failing {
        fail_first,
        code,
        received: received.clone(),
    };
    let server = serve(Server::builder().add_service(GreeterServiceServer::new(service))).await;
    let client = SayHello(GreeterServiceClient::new(connect(&server).await));
    let call = Call {
        path: SAY_HELLO,
        message: hello(&random_name("Ana")),
        deadline: Instant::now() + timeout,
    };
    let answer = Retry::new(policy, client).oneshot(call).await;
    server.stop().await.expect("the server stops");
    (answer, received.load(Ordering::SeqCst))
}

fn policy(idempotent: &[&'static str]) -> RetryPolicy {
    RetryPolicy {
        idempotent: idempotent.iter().copied().collect(),
        max_attempts: 3,
        backoff: Duration::from_millis(5),
        attempts: 0,
    }
}

const LONG: Duration = Duration::from_secs(10);

#[tokio::test]
async fn unavailable_is_retried_until_the_call_succeeds() {
    within(async {
        let (answer, received) =
            call_through(policy(&[SAY_HELLO]), 2, Code::Unavailable, LONG).await;
        let reply = answer.expect("the third attempt succeeds");
        assert!(reply.message.starts_with("Hello, Ana"), "{reply:?}");
        assert_eq!(received, 3, "two retries");
    })
    .await;
}

#[tokio::test]
async fn a_method_off_the_list_is_not_retried() {
    within(async {
        let (answer, received) = call_through(policy(&[]), 2, Code::Unavailable, LONG).await;
        assert_eq!(answer.expect_err("not retried").code(), Code::Unavailable);
        assert_eq!(received, 1, "SayHello is not on the idempotent list");
    })
    .await;
}

#[tokio::test]
async fn invalid_argument_is_not_retried() {
    within(async {
        let (answer, received) =
            call_through(policy(&[SAY_HELLO]), 1, Code::InvalidArgument, LONG).await;
        assert_eq!(
            answer.expect_err("not retried").code(),
            Code::InvalidArgument
        );
        assert_eq!(received, 1, "a refusal is not retried");
    })
    .await;
}

#[tokio::test]
async fn attempts_stop_at_max_attempts() {
    within(async {
        let (answer, received) =
            call_through(policy(&[SAY_HELLO]), 10, Code::Unavailable, LONG).await;
        let status = answer.expect_err("every attempt failed");
        assert_eq!(status.code(), Code::Unavailable);
        assert_eq!(status.message(), "call 3 fails", "the last attempt's error");
        assert_eq!(received, 3, "max_attempts is 3");
    })
    .await;
}

#[tokio::test]
async fn no_retry_starts_that_would_end_past_the_deadline() {
    within(async {
        let mut patient = policy(&[SAY_HELLO]);
        patient.max_attempts = 1000;
        patient.backoff = Duration::from_millis(100);
        let (answer, received) = call_through(
            patient,
            usize::MAX,
            Code::Unavailable,
            Duration::from_millis(250),
        )
        .await;
        // A retry sent after the deadline would answer DEADLINE_EXCEEDED.
        let status = answer.expect_err("every attempt failed");
        assert_eq!(status.code(), Code::Unavailable, "{status:?}");
        assert!(
            (2..=3).contains(&received),
            "{received} attempts in 250 ms with 100 ms waits"
        );
    })
    .await;
}
