//! Exercise 13: many names in over a real socket, one summary out; the client
//! streams its names to a server it did not write.

use grpc_exercises::ex13_client_streaming::{Greeter, greet_all};
use grpc_exercises::support::reference::{Reference, random_name};
use grpc_exercises::support::{self, within};
use helloworld_proto::v4::SayHelloRequest;
use helloworld_proto::v4::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v4::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

#[tokio::test]
async fn the_server_answers_once_after_the_last_name() {
    within(async {
        let server =
            support::serve(Server::builder().add_service(GreeterServiceServer::new(Greeter))).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let names: Vec<String> = ["Ann", "Bob", "Cid", "Dee"].map(random_name).into();
        // 2 to 4 names, chosen at random: no constant answer fits.
        let count = 2 + names[0].bytes().map(usize::from).sum::<usize>() % 3;
        let requests: Vec<SayHelloRequest> = names[..count]
            .iter()
            .map(|name| SayHelloRequest { name: name.clone() })
            .collect();
        let reply = client
            .say_hello(tokio_stream::iter(requests))
            .await
            .expect("SayHello")
            .into_inner();
        assert_eq!(
            reply.message,
            format!("Hello, {}!", names[..count].join(", "))
        );
        assert_eq!(reply.greeted_count as usize, count);
    })
    .await
}

#[tokio::test]
async fn the_client_streams_every_name() {
    within(async {
        let reference = Reference::new();
        let router = Server::builder().add_service(GreeterServiceServer::new(reference.clone()));
        let server = support::serve(router).await;
        let names = [random_name("Jack"), random_name("Rose")];
        let borrowed = [names[0].as_str(), names[1].as_str()];
        let reply = greet_all(support::connect(&server).await, &borrowed).await;
        let reply = reply.expect("greet_all");
        assert_eq!(
            (reply.message, reply.greeted_count),
            (reference.summary(&names), 2),
            "the client must return what the server answered"
        );
    })
    .await
}
