//! Exercise 12: five greetings arrive over a real socket, then the stream ends;
//! the client reads a stream (of a server it did not write) to its end.

use grpc_exercises::ex12_async_server_streaming::{Greeter, collect_greetings};
use grpc_exercises::support::reference::{Reference, random_name};
use grpc_exercises::support::{self, within};
use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

#[tokio::test]
async fn the_server_streams_five_greetings_and_ends() {
    within(async {
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(Greeter))).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let name = random_name("Jack");
        let request = SayHelloRequest { name: name.clone() };
        let mut stream = client
            .say_hello(request)
            .await
            .expect("SayHello")
            .into_inner();
        let mut seen = Vec::new();
        while let Some(reply) = stream.message().await.expect("a greeting") {
            seen.push(reply.message);
        }
        let expected: Vec<String> = (0..5)
            .map(|i| format!("Hello number {i}, {name}!"))
            .collect();
        assert_eq!(seen, expected);
    })
    .await
}

#[tokio::test]
async fn the_client_collects_every_greeting() {
    within(async {
        let reference = Reference::new();
        let router = Server::builder().add_service(GreeterServiceServer::new(reference.clone()));
        let server = support::serve(router).await;
        let name = random_name("Jack");
        let greetings = collect_greetings(support::connect(&server).await, &name).await;
        assert_eq!(
            greetings.expect("collect_greetings"),
            reference.greetings(&name),
            "the client must return every greeting the server sent, and only those"
        );
    })
    .await
}
