//! Exercise 10: the unary greeter answers over a real socket, and the client reads it.

use grpc_exercises::ex10_async_unary::{Greeter, greet};
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

async fn start() -> support::TestServer {
    support::serve(Server::builder().add_service(GreeterServiceServer::new(Greeter))).await
}

#[tokio::test]
async fn the_server_answers_hello_name() {
    within(async {
        let server = start().await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let reply = client.say_hello(hello("Jack")).await.expect("SayHello");
        assert_eq!(reply.into_inner().message, "Hello, Jack!");
    })
    .await
}

#[tokio::test]
async fn the_client_returns_the_greeting() {
    within(async {
        let server = start().await;
        let message = greet(support::connect(&server).await, "Ann").await;
        assert_eq!(message.expect("greet"), "Hello, Ann!");
    })
    .await
}
