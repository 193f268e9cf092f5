//! Exercise 4: the server greets from its worker pool, and plain code gets the
//! greeting back from a server it did not write.

use grpc_exercises::ex04_sync_unary::{Greeter, greet, greeting};
use grpc_exercises::support::reference::{Reference, random_name};
use grpc_exercises::support::{self, greeter::hello, within, within_blocking};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use sync_kit::WorkerPool;
use tonic::transport::Server;

#[tokio::test]
async fn the_server_greets_on_the_pool() {
    within(async {
        let pool = WorkerPool::new(2);
        let greeter = Greeter { pool: pool.clone() };
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(greeter))).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let name = random_name("Jack");
        let reply = client.say_hello(hello(&name)).await.expect("SayHello");
        assert_eq!(reply.into_inner().message, greeting(&name));
        // The pool counts a unary handler before its reply can leave.
        assert_eq!(
            pool.finished(),
            1,
            "the greeting must be computed on a worker of `self.pool`, not on the runtime's thread"
        );
    })
    .await
}

/// A plain test: no async runtime on this thread, as in a sync program. The
/// server runs on a runtime of its own, as a separate process would.
#[test]
fn plain_code_gets_its_greeting() {
    within_blocking(|| {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
        let reference = Reference::new();
        let router = Server::builder().add_service(GreeterServiceServer::new(reference.clone()));
        let server = runtime.block_on(support::serve(router));
        let name = random_name("Ann");
        let message = greet(&server.url(false), &name).expect("greet");
        assert_eq!(
            message,
            reference.greeting(&name),
            "the client must return what the server answered"
        );
    });
}
