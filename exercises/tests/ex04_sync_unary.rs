//! Exercise 4: the server greets, and plain code gets the greeting back.

use grpc_exercises::ex04_sync_unary::{Greeter, greet};
use grpc_exercises::support::{self, greeter::hello, within, within_blocking};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use sync_kit::WorkerPool;
use tonic::transport::Server;

#[tokio::test]
async fn the_server_greets() {
    within(async {
        let greeter = Greeter {
            pool: WorkerPool::new(2),
        };
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(greeter))).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let reply = client.say_hello(hello("Jack")).await.expect("SayHello");
        assert_eq!(reply.into_inner().message, "Hello, Jack!");
    })
    .await
}

/// A plain test: no async runtime on this thread, as in a sync program. The
/// server runs on a runtime of its own, as a separate process would.
#[test]
fn plain_code_gets_its_greeting() {
    within_blocking(|| {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
        let greeter = Greeter {
            pool: WorkerPool::new(2),
        };
        let router = Server::builder().add_service(GreeterServiceServer::new(greeter));
        let server = runtime.block_on(support::serve(router));
        let message = greet(&server.url(false), "Ann").expect("greet");
        assert_eq!(message, "Hello, Ann!");
    });
}
