//! Exercise 24: every call through the client ends at the default deadline,
//! without the call setting one, and the server is told it; a call's own
//! deadline, shorter or longer, wins; prompt calls are unaffected; and
//! connecting to a server that never accepts gives up at the connect timeout.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use grpc_exercises::ex24_channel_timeout::{CALL_TIMEOUT, CONNECT_TIMEOUT, client, endpoint};
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::net::{TcpSocket, TcpStream};
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

/// A `grpc-timeout` value (`<digits><unit>`, the gRPC HTTP/2 spec) as a duration.
fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

/// Calls a stuck server through `client`, with `own` as the call's deadline if
/// any; returns how long the call took and the deadline the server was told.
async fn call_stuck(own: Option<Duration>) -> (Status, Duration, Option<Duration>) {
    let stuck = Stuck::default();
    let server =
        support::serve(Server::builder().add_service(GreeterServiceServer::new(stuck.clone())))
            .await;
    let channel = endpoint(&server.url(false))
        .connect()
        .await
        .expect("connect");
    let mut request = Request::new(hello("Jack"));
    if let Some(own) = own {
        request.set_timeout(own);
    }
    let start = Instant::now();
    let mut client = client(channel);
    let call = client.say_hello(request);
    let outcome = tokio::time::timeout(Duration::from_secs(3), call)
        .await
        .expect("the call was still waiting after 3 s: it has no deadline");
    let elapsed = start.elapsed();
    let status = outcome.expect_err("the server never answers");
    let told = match stuck.timeouts.lock().unwrap().as_slice() {
        [Some(value)] => Some(
            parse_grpc_timeout(value).unwrap_or_else(|| panic!("not a grpc-timeout: {value:?}")),
        ),
        [None] => None,
        other => panic!("the server should see exactly one call, saw {other:?}"),
    };
    (status, elapsed, told)
}

#[tokio::test]
async fn a_call_without_its_own_deadline_still_ends() {
    within(async {
        let (status, elapsed, _) = call_stuck(None).await;
        assert!(
            matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled),
            "the call should end at the default deadline, not with {status:?}"
        );
        assert!(
            elapsed >= CALL_TIMEOUT,
            "ended before its deadline: {status:?}"
        );
    })
    .await
}

#[tokio::test]
async fn the_server_is_told_the_default_deadline() {
    within(async {
        let (_, _, told) = call_stuck(None).await;
        assert_eq!(
            told,
            Some(CALL_TIMEOUT),
            "a call with no deadline of its own: the server should be told the default \
             (a channel's `timeout` is never sent)"
        );
    })
    .await
}

#[tokio::test]
async fn a_call_asking_for_less_gets_less() {
    within(async {
        let own = CALL_TIMEOUT / 3;
        let (_, elapsed, told) = call_stuck(Some(own)).await;
        assert_eq!(told, Some(own), "the call asked for {own:?}");
        assert!(
            elapsed < CALL_TIMEOUT,
            "asked for {own:?}, waited {elapsed:?}"
        );
    })
    .await
}

#[tokio::test]
async fn a_call_asking_for_longer_gets_longer() {
    within(async {
        let own = CALL_TIMEOUT * 3;
        let (_, elapsed, told) = call_stuck(Some(own)).await;
        assert_eq!(told, Some(own), "the call asked for {own:?}");
        assert!(
            elapsed >= own,
            "asked for {own:?}, was cut off after {elapsed:?}: the default must not override it"
        );
    })
    .await
}

#[tokio::test]
async fn a_prompt_call_is_answered() {
    within(async {
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(Hello))).await;
        let channel = endpoint(&server.url(false))
            .connect()
            .await
            .expect("connect");
        let reply = client(channel).say_hello(hello("Ann")).await;
        assert_eq!(reply.expect("SayHello").into_inner().message, "Hello, Ann!");
    })
    .await
}

/// A listener whose accept queue is full: it was made with a backlog of 0 and one
/// connection (kept, never accepted) fills it, so the kernel drops the SYN of the
/// next one, which then waits as a connection to a vanished host does.
#[tokio::test]
async fn connecting_to_a_server_that_never_accepts_gives_up() {
    within(async {
        let socket = TcpSocket::new_v4().expect("a socket");
        socket
            .bind("127.0.0.1:0".parse().unwrap())
            .expect("bind a local port");
        let listener = socket.listen(0).expect("listen");
        let addr = listener.local_addr().expect("a bound address");
        let _filler = TcpStream::connect(addr).await.expect("the queue's one place");

        let start = Instant::now();
        let endpoint = endpoint(&format!("http://{addr}"));
        let attempt = endpoint.connect();
        let limit = CONNECT_TIMEOUT * 6;
        let outcome = tokio::time::timeout(limit, attempt).await.unwrap_or_else(|_| {
            panic!("connecting was still waiting after {limit:?}: the endpoint has no connect timeout")
        });
        assert!(
            outcome.is_err(),
            "connected to a server whose accept queue is full"
        );
        assert!(
            start.elapsed() >= CONNECT_TIMEOUT,
            "gave up after {:?}, before the connect timeout: {outcome:?}",
            start.elapsed()
        );
    })
    .await
}
