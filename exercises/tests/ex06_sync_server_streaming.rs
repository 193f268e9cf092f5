//! Exercise 6: five greetings from an iterator, and plain code that reads a
//! stream to its end (a server it did not write, which streams three).

use grpc_exercises::ex06_sync_server_streaming::{Greeter, collect_greetings};
use grpc_exercises::support::reference::{Reference, random_name};
use grpc_exercises::support::{self, within, within_blocking};
use helloworld_proto::v2::SayHelloRequest;
use helloworld_proto::v2::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v2::greeter_service_server::GreeterServiceServer;
use sync_kit::WorkerPool;
use tonic::transport::Server;

fn expected(name: &str) -> Vec<String> {
    (0..5)
        .map(|i| format!("Hello number {i}, {name}!"))
        .collect()
}

#[tokio::test]
async fn the_server_streams_five_greetings_then_ends() {
    within(async {
        let greeter = Greeter {
            pool: WorkerPool::new(2),
        };
        let router = Server::builder().add_service(GreeterServiceServer::new(greeter));
        let server = support::serve(router).await;
        let mut client = GreeterServiceClient::new(support::connect(&server).await);
        let name = random_name("Jack");
        let request = SayHelloRequest { name: name.clone() };
        let mut stream = client
            .say_hello(request)
            .await
            .expect("SayHello")
            .into_inner();
        let mut got = Vec::new();
        while let Some(reply) = stream.message().await.expect("a greeting") {
            got.push(reply.message);
        }
        assert_eq!(got, expected(&name));
    })
    .await
}

#[test]
fn plain_code_reads_the_stream_to_its_end() {
    within_blocking(|| {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
        let reference = Reference::new();
        let router = Server::builder().add_service(GreeterServiceServer::new(reference.clone()));
        let server = runtime.block_on(support::serve(router));
        let name = random_name("Ann");
        let got = collect_greetings(&server.url(false), &name).expect("collect_greetings");
        assert_eq!(
            got,
            reference.greetings(&name),
            "the client must return every greeting the server sent, and only those"
        );
    });
}
