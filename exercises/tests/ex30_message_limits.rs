//! Exercise 30: the server refuses a request over its limit (tonic: OUT_OF_RANGE);
//! the client sends nothing over the limit, refuses a reply over its own, and
//! names both RESOURCE_EXHAUSTED, as the spec does.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use grpc_exercises::ex30_message_limits::{
    MAX_REPLY_BYTES, MAX_REQUEST_BYTES, greet, greeter_server,
};
use grpc_exercises::support::reference::random_name;
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::{GreeterService, GreeterServiceServer};
use helloworld_proto::v1::{SayHelloRequest, SayHelloResponse};
use tonic::transport::Server;
use tonic::{Code, Request, Response, Status};

#[tokio::test]
async fn an_oversized_request_is_refused_and_a_small_one_greeted() {
    within(async {
        let server = support::serve(Server::builder().add_service(greeter_server())).await;
        // The generated client, no limits of its own: the server must refuse.
        let mut client = GreeterServiceClient::new(support::connect(&server).await);

        let small = "a".repeat(MAX_REQUEST_BYTES / 2);
        let reply = client.say_hello(hello(&small)).await.expect("a small name");
        assert_eq!(reply.into_inner().message, format!("Hello, {small}!"));

        let large = "a".repeat(MAX_REQUEST_BYTES * 2);
        let status = client
            .say_hello(hello(&large))
            .await
            .expect_err("a name twice the limit must be refused");
        // tonic answers OUT_OF_RANGE "message length too large"; the gRPC spec says
        // RESOURCE_EXHAUSTED (the page shows how the lesson maps one to the other).
        assert!(
            matches!(status.code(), Code::OutOfRange | Code::ResourceExhausted)
                && status.message().contains("too large"),
            "{status:?}"
        );

        let reply = client.say_hello(hello("Jack")).await;
        assert!(reply.is_ok(), "the connection is still good: {reply:?}");
    })
    .await
}

/// Counts the calls that reach it; answers a name with `size` bytes of greeting.
#[derive(Clone, Default)]
struct Counting {
    calls: Arc<AtomicUsize>,
}

#[tonic::async_trait]
impl GreeterService for Counting {
    async fn say_hello(
        &self,
        request: Request<SayHelloRequest>,
    ) -> Result<Response<SayHelloResponse>, Status> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let name = request.into_inner().name;
        let message = match name.strip_prefix("reply of ") {
            Some(size) => "a".repeat(size.parse().map_err(|_| Status::invalid_argument(""))?),
            None => format!("Hello, {name}!"),
        };
        Ok(Response::new(SayHelloResponse { message }))
    }
}

async fn counting() -> (support::TestServer, Counting) {
    let counting = Counting::default();
    let server =
        support::serve(Server::builder().add_service(GreeterServiceServer::new(counting.clone())))
            .await;
    (server, counting)
}

#[tokio::test]
async fn an_oversized_request_is_not_sent() {
    within(async {
        let (server, counting) = counting().await;
        let name = random_name("Ann");
        let reply = greet(support::connect(&server).await, &name).await;
        assert_eq!(reply.expect("a small name"), format!("Hello, {name}!"));

        let large = "a".repeat(MAX_REQUEST_BYTES + 1);
        let status = greet(support::connect(&server).await, &large)
            .await
            .expect_err("a name over the limit must be refused");
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        assert_eq!(
            counting.calls.load(Ordering::SeqCst),
            1,
            "the oversized request reached the server: check its size before sending"
        );
    })
    .await
}

#[tokio::test]
async fn an_oversized_reply_is_refused() {
    within(async {
        let (server, _counting) = counting().await;
        let fits = greet(support::connect(&server).await, "reply of 1000").await;
        assert_eq!(fits.expect("a reply under the limit").len(), 1000);

        let too_big = format!("reply of {}", MAX_REPLY_BYTES * 2);
        let status = greet(support::connect(&server).await, &too_big)
            .await
            .expect_err("a reply twice the client's limit must be refused");
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        assert!(status.message().contains("too large"), "{status:?}");
    })
    .await
}
