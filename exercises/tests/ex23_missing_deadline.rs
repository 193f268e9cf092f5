//! Exercise 23: a call to a server that never answers ends at its deadline, and
//! the server was told that deadline, whichever one the caller chose; a relay
//! passes its caller's deadline on, capped at its own budget.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use grpc_exercises::ex23_missing_deadline::{Relay, greet_with_deadline};
use grpc_exercises::support::{self, greeter::Hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::sync::Notify;
use tonic::transport::Server;
use tonic::{Code, Request, Response, Status};

/// Never answers; remembers the `grpc-timeout` header each call arrived with.
#[derive(Clone, Default)]
struct Stuck {
    timeouts: Arc<Mutex<Vec<Option<String>>>>,
    arrived: Arc<Notify>,
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
        self.arrived.notify_one();
        std::future::pending().await
    }
}

/// A `grpc-timeout` value (`<digits><unit>`, the gRPC HTTP/2 spec) as a duration.
fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

/// Calls a stuck server with `deadline`; returns the status, how long the call
/// took, and the deadline the server was told.
async fn call_stuck(deadline: Duration) -> (Status, Duration, Option<Duration>) {
    let stuck = Stuck::default();
    let router = Server::builder().add_service(GreeterServiceServer::new(stuck.clone()));
    let server = support::serve(router).await;
    let channel = support::connect(&server).await;
    let start = Instant::now();
    let call = greet_with_deadline(channel, "Jack", deadline);
    let outcome = tokio::time::timeout(deadline * 10, call)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "with a {deadline:?} deadline the call was still waiting after {:?}",
                deadline * 10
            )
        });
    let elapsed = start.elapsed();
    let status = outcome.expect_err("the server never answers");
    let timeouts = stuck.timeouts.lock().unwrap().clone();
    let told = match timeouts.as_slice() {
        [Some(value)] => Some(
            parse_grpc_timeout(value).unwrap_or_else(|| panic!("not a grpc-timeout: {value:?}")),
        ),
        [None] => None,
        other => panic!("the server should see exactly one call, saw {other:?}"),
    };
    (status, elapsed, told)
}

#[tokio::test]
async fn a_stuck_server_cannot_hold_the_caller() {
    within(async {
        let deadline = Duration::from_millis(200);
        let (status, elapsed, _) = call_stuck(deadline).await;
        assert!(
            matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled),
            "the call should end at its deadline, not with {status:?}"
        );
        assert!(elapsed >= deadline, "ended before its deadline: {status:?}");
    })
    .await
}

#[tokio::test]
async fn the_server_is_told_the_callers_deadline() {
    within(async {
        // Two deadlines, neither a round number: the call must use the one it is given.
        for deadline in [Duration::from_millis(150), Duration::from_millis(370)] {
            let (_, elapsed, told) = call_stuck(deadline).await;
            let told = told.expect("the server should receive the deadline as `grpc-timeout`");
            // tonic sends the deadline exactly (in the finest unit that fits).
            assert_eq!(told, deadline, "the caller asked for {deadline:?}");
            assert!(
                elapsed < deadline * 3,
                "asked for {deadline:?}, waited {elapsed:?}"
            );
        }
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

/// The deadline a stuck server behind a `Relay` with budget `max` is told when
/// the relay's caller asks for `asked` (or sends no deadline).
async fn relayed_deadline(asked: Option<Duration>, max: Duration) -> Option<Duration> {
    let stuck = Stuck::default();
    let downstream =
        support::serve(Server::builder().add_service(GreeterServiceServer::new(stuck.clone())))
            .await;
    let relay = Relay {
        downstream: support::connect(&downstream).await,
        max,
    };
    let server =
        support::serve(Server::builder().add_service(GreeterServiceServer::new(relay))).await;
    let mut client = GreeterServiceClient::new(support::connect(&server).await);
    let mut request = Request::new(SayHelloRequest {
        name: "Jack".into(),
    });
    if let Some(asked) = asked {
        request.set_timeout(asked);
    }
    let call = tokio::spawn(async move { client.say_hello(request).await });
    stuck.arrived.notified().await;
    let header = stuck.timeouts.lock().unwrap().clone();
    let outcome = call.await.expect("the call task");
    assert!(outcome.is_err(), "a stuck server answered: {outcome:?}");
    match header.as_slice() {
        [Some(value)] => Some(
            parse_grpc_timeout(value).unwrap_or_else(|| panic!("not a grpc-timeout: {value:?}")),
        ),
        [None] => None,
        other => panic!("the stuck server should see exactly one call, saw {other:?}"),
    }
}

#[tokio::test]
async fn the_relay_passes_on_the_callers_deadline_capped_at_its_own() {
    within(async {
        let max = Duration::from_millis(370);
        for (asked, expected) in [
            (
                Some(Duration::from_millis(150)),
                max.min(Duration::from_millis(150)),
            ),
            (Some(Duration::from_secs(5)), max),
            (None, max),
        ] {
            let told = relayed_deadline(asked, max).await;
            assert_eq!(
                told,
                Some(expected),
                "a caller asking for {asked:?} of a relay with a {max:?} budget: the server \
                 behind it should be told {expected:?}"
            );
        }
    })
    .await
}
