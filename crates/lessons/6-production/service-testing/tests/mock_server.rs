//! Testing a client: put a mock server in front of it that records what the
//! client sent and answers what the test scripts, including answers a real
//! server would rarely give (a wrong reply, an error, a slow reply).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use service_testing::client::greet;
use service_testing::in_process::in_process_channel;
use tonic::service::Routes;
use tonic::transport::Channel;
use tonic::{Code, Request, Response, Status};

/// The deadline the tests give the client: short, since mocks answer at once.
const DEADLINE: Duration = Duration::from_millis(50);

/// What the mock saw of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    name: String,
    request_id: Option<String>,
    timeout: Option<String>,
}

/// A greeter that records each call and answers with `reply`.
#[derive(Clone)]
struct MockGreeter {
    reply: Result<String, Status>,
    delay: Duration,
    seen: Arc<Mutex<Vec<Seen>>>,
}

#[tonic::async_trait]
impl GreeterService for MockGreeter {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        let header = |key: &str| {
            let value = request.metadata().get(key)?;
            value.to_str().ok().map(str::to_owned)
        };
        let seen = Seen {
            request_id: header("x-request-id"),
            timeout: header("grpc-timeout"),
            name: request.get_ref().name.clone(),
        };
        self.seen.lock().unwrap().push(seen);
        tokio::time::sleep(self.delay).await;
        let message = self.reply.clone()?;
        Ok(Response::new(SayHelloResponse { message }))
    }
}

/// A mock answering `reply` after `delay`, and a channel to it.
async fn mock(reply: Result<&str, Status>, delay: Duration) -> (Channel, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let greeter = MockGreeter {
        reply: reply.map(str::to_owned),
        delay,
        seen: seen.clone(),
    };
    let routes = Routes::new(GreeterServiceServer::new(greeter));
    (in_process_channel(routes).await.unwrap(), seen)
}

#[tokio::test]
async fn the_client_sends_the_name_its_request_id_and_a_deadline() {
    let (channel, seen) = mock(Ok("Hello, Ann!"), Duration::ZERO).await;
    assert_eq!(
        greet(channel, "Ann", "req-42", DEADLINE).await.unwrap(),
        "Hello, Ann!"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "exactly one call: {seen:?}");
    assert_eq!(seen[0].name, "Ann");
    assert_eq!(seen[0].request_id.as_deref(), Some("req-42"));
    // 50 ms, in the finest unit that fits grpc-timeout's 8 digits.
    assert_eq!(seen[0].timeout.as_deref(), Some("50000000n"));
}

#[tokio::test]
async fn a_reply_that_is_not_a_greeting_is_an_internal_error() {
    let (channel, _) = mock(Ok("Bonjour"), Duration::ZERO).await;
    let status = greet(channel, "Ann", "req-1", DEADLINE).await.unwrap_err();
    assert_eq!(status.code(), Code::Internal);
    assert_eq!(status.message(), "not a greeting: \"Bonjour\"");
}

#[tokio::test]
async fn the_servers_error_reaches_the_caller_unchanged() {
    let (channel, _) = mock(Err(Status::unavailable("down for lunch")), Duration::ZERO).await;
    let status = greet(channel, "Ann", "req-1", DEADLINE).await.unwrap_err();
    assert_eq!(
        (status.code(), status.message()),
        (Code::Unavailable, "down for lunch")
    );
}

#[tokio::test]
async fn a_server_slower_than_the_deadline_ends_the_call() {
    // The client's own deadline, not the test, ends the wait.
    let (channel, _) = mock(Ok("Hello, Ann!"), Duration::from_secs(60)).await;
    let status = greet(channel, "Ann", "req-1", DEADLINE).await.unwrap_err();
    // tonic names its expired timer CANCELLED (see the deadlines page).
    assert_eq!(status.code(), Code::Cancelled, "{status:?}");
}

#[tokio::test]
async fn a_request_id_that_is_no_header_value_is_refused_before_calling() {
    let (channel, seen) = mock(Ok("Hello, Ann!"), Duration::ZERO).await;
    let status = greet(channel, "Ann", "two\nlines", DEADLINE)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(seen.lock().unwrap().is_empty(), "the call was not made");
}
