//! Exercise 11: five greetings arrive over a real socket, then the stream ends.

use grpc_exercises::ex11_async_server_streaming::{Greeter, collect_greetings};
use grpc_exercises::support::{self, within};
use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::GreeterServiceServer;
use tonic::transport::Server;

const EXPECTED: [&str; 5] = [
    "Hello number 0, Jack!",
    "Hello number 1, Jack!",
    "Hello number 2, Jack!",
    "Hello number 3, Jack!",
    "Hello number 4, Jack!",
];

async fn start() -> support::TestServer {
    support::serve(Server::builder().add_service(GreeterServiceServer::new(Greeter))).await
}

#[tokio::test]
async fn the_server_streams_five_greetings_and_ends() {
    within(async {
        let server = start().await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let request = SayHelloRequest {
            name: "Jack".into(),
        };
        let mut stream = client
            .say_hello(request)
            .await
            .expect("SayHello")
            .into_inner();
        let mut seen = Vec::new();
        while let Some(reply) = stream.message().await.expect("a greeting") {
            seen.push(reply.message);
        }
        assert_eq!(seen, EXPECTED);
    })
    .await
}

#[tokio::test]
async fn the_client_collects_every_greeting() {
    within(async {
        let server = start().await;
        let greetings = collect_greetings(support::connect(&server).await, "Jack").await;
        assert_eq!(greetings.expect("collect_greetings"), EXPECTED);
    })
    .await
}
