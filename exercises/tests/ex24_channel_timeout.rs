//! Exercise 24: every call through the channel ends at the channel's deadline,
//! without the call setting one; prompt calls are unaffected.

use std::time::{Duration, Instant};

use grpc_exercises::ex24_channel_timeout::{CALL_TIMEOUT, endpoint};
use grpc_exercises::support::{self, greeter::Hello, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
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
