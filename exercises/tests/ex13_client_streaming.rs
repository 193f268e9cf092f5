//! Exercise 13: many names in over a real socket, one summary out.

use grpc_exercises::ex13_client_streaming::{Greeter, greet_all};
use grpc_exercises::support::{self, within};
use helloworld_proto::v4::SayHelloRequest;
use helloworld_proto::v4::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v4::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

async fn start() -> support::TestServer {
    support::serve(Server::builder().add_service(GreeterServiceServer::new(Greeter))).await
}

#[tokio::test]
async fn the_server_answers_once_after_the_last_name() {
    within(async {
        let server = start().await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let names = ["Ann", "Bob", "Cid"].map(|name| SayHelloRequest { name: name.into() });
        let reply = client
            .say_hello(tokio_stream::iter(names))
            .await
            .expect("SayHello")
            .into_inner();
        assert_eq!(reply.message, "Hello, Ann, Bob, Cid!");
        assert_eq!(reply.greeted_count, 3);
    })
    .await
}

#[tokio::test]
async fn the_client_streams_every_name() {
    within(async {
        let server = start().await;
        let reply = greet_all(support::connect(&server).await, &["Jack", "Rose"]).await;
        let reply = reply.expect("greet_all");
        assert_eq!(
            (reply.message.as_str(), reply.greeted_count),
            ("Hello, Jack, Rose!", 2)
        );
    })
    .await
}
