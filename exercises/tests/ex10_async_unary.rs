//! Exercise 10: the unary greeter answers over a real socket, and the client
//! returns what a server it did not write answered.

use grpc_exercises::ex10_async_unary::{Greeter, greet};
use grpc_exercises::support::reference::{Reference, random_name};
use grpc_exercises::support::{self, greeter::hello, within};
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

#[tokio::test]
async fn the_server_answers_hello_name() {
    within(async {
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(Greeter))).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let name = random_name("Jack");
        let reply = client.say_hello(hello(&name)).await.expect("SayHello");
        assert_eq!(reply.into_inner().message, format!("Hello, {name}!"));
    })
    .await
}

#[tokio::test]
async fn the_client_returns_the_greeting() {
    within(async {
        let reference = Reference::new();
        let router = Server::builder().add_service(GreeterServiceServer::new(reference.clone()));
        let server = support::serve(router).await;
        let name = random_name("Ann");
        let message = greet(support::connect(&server).await, &name).await;
        assert_eq!(
            message.expect("greet"),
            reference.greeting(&name),
            "the client must return what the server answered"
        );
    })
    .await
}
