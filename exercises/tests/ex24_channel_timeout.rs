//! Exercise 24: every call through the channel ends at the channel's deadline,
//! without the call setting one; prompt calls are unaffected; and connecting to a
//! server that never accepts gives up at the connect timeout.

use std::time::{Duration, Instant};

use grpc_exercises::ex24_channel_timeout::{CALL_TIMEOUT, CONNECT_TIMEOUT, endpoint};
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tokio::net::{TcpSocket, TcpStream};
use tonic::transport::Server;
use tonic::{Code, Request, Response, Status};

/// Never answers.
struct Stuck;

#[tonic::async_trait]
impl GreeterService for Stuck {
    async fn say_hello(
        &self,
        _request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        std::future::pending().await
    }
}

#[tokio::test]
async fn a_call_without_its_own_deadline_still_ends() {
    within(async {
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(Stuck))).await;
        let channel = endpoint(&server.url(false))
            .connect()
            .await
            .expect("connect");
        let mut client = GreeterServiceClient::new(channel);
        let start = Instant::now();
        let call = client.say_hello(hello("Jack"));
        let outcome = tokio::time::timeout(Duration::from_secs(3), call)
            .await
            .expect("the call was still waiting after 3 s: the channel has no deadline");
        let status = outcome.expect_err("the server never answers");
        assert!(
            matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled),
            "the call should end at the channel's deadline, not with {status:?}"
        );
        assert!(
            start.elapsed() >= CALL_TIMEOUT,
            "ended before its deadline: {status:?}"
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
        let reply = GreeterServiceClient::new(channel)
            .say_hello(hello("Ann"))
            .await;
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
